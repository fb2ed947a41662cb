" Vim filetype plugin for Journey (.journey, .jstd).
if exists("b:did_ftplugin")
  finish
endif
let b:did_ftplugin = 1

setlocal commentstring=//\ %s
setlocal comments=s1:/*,mb:*,ex:*/,://
setlocal shiftwidth=2 softtabstop=2 expandtab
setlocal iskeyword=@,48-57,_

" :make checks the current file with the compiler. Its diagnostics look like
"   file.journey:59:17: error[J0101]: connector leads to `x`, ...
"   file.journey:64:8: warning[J0301]: node `y` is unreachable
"   file.journey:19:8: note: first defined here
" followed by source excerpts, which are skipped. The message keeps the code,
" e.g. "[J0101]: connector leads to ..." (see `journeyc explain J0101`).
let s:journeyc = get(g:, 'journey_compiler', 'journeyc')
let &l:makeprg = escape(s:journeyc, ' \') . ' check %'
setlocal errorformat=%f:%l:%c:\ %trror%m,%f:%l:%c:\ %tarning%m,%f:%l:%c:\ %tote:\ %m,%-G%.%#

let b:undo_ftplugin = "setlocal commentstring< comments< shiftwidth< softtabstop< expandtab< iskeyword< makeprg< errorformat<"
