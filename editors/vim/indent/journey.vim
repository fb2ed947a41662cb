" Vim indent file for Journey: one level (2 spaces) per open brace or bracket.
if exists("b:did_indent")
  finish
endif
let b:did_indent = 1

setlocal autoindent
setlocal indentexpr=JourneyIndent(v:lnum)
setlocal indentkeys=0},0],0),!^F,o,O

let b:undo_indent = "setlocal autoindent< indentexpr< indentkeys<"

if exists("*JourneyIndent")
  finish
endif

function! JourneyIndent(lnum) abort
  let prev = prevnonblank(a:lnum - 1)
  if prev == 0
    return 0
  endif
  " Strip strings and line comments before counting brackets.
  let line = substitute(getline(prev), '"\%(\\.\|[^"\\]\)*"', '""', 'g')
  let line = substitute(line, '//.*$', '', '')
  let ind = indent(prev)
  let opens = len(substitute(line, '[^{[(]', '', 'g'))
  let closes = len(substitute(line, '[^}\])]', '', 'g'))
  " A line that starts by closing was already dedented by itself.
  if getline(prev) =~# '^\s*[}\])]'
    let closes -= 1
  endif
  if opens > closes
    let ind += shiftwidth()
  elseif opens < closes
    let ind -= shiftwidth() * (closes - opens)
  endif
  if getline(a:lnum) =~# '^\s*[}\])]'
    let ind -= shiftwidth()
  endif
  return ind < 0 ? 0 : ind
endfunction
