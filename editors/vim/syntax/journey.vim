" Vim syntax file for Journey (.journey, .jstd).
" Same categories as the VS Code grammar (editors/vscode/syntaxes).
if exists("b:current_syntax")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match

" Comments
syn keyword journeyTodo contained TODO FIXME XXX NOTE
syn match   journeyLineComment "//.*$" contains=journeyTodo,@Spell
syn region  journeyBlockComment start="/\*" end="\*/" contains=journeyTodo,@Spell

" Strings and {{ ... }} templates with filters
syn match   journeyEscape contained "\\\%(u{\x\+}\|.\)"
syn match   journeyFilter contained "|\s*\h\w*"hs=s+1 contains=journeyPipe
syn match   journeyPipe contained "|"
syn match   journeyFilterArgEsc contained +\\"\%([^"\\]\|\\[^"]\)*\\"+
syn match   journeyFilterArg contained +"[^"]*"+
syn match   journeyTemplateNumber contained "\<\d\+\%(\.\d\+\)\=\>"
syn region  journeyInterp contained matchgroup=journeyInterpDelim start="{{" end="}}" end=+\ze"+
      \ contains=journeyFilter,journeyFilterArgEsc,journeyProperty,journeyTemplateNumber
syn region  journeyInterpRaw contained matchgroup=journeyInterpDelim start="{{" end="}}" end=+\ze"""+
      \ contains=journeyFilter,journeyFilterArg,journeyProperty,journeyTemplateNumber
syn region  journeyString start=+"+ skip=+\\\\\|\\"+ end=+"+ end=+$+ contains=journeyEscape,journeyInterp
syn region  journeyTripleString start=+"""+ end=+"""+ contains=journeyInterpRaw keepend

" Literals: dates, times, durations, percentages, numbers
syn match   journeyBadNumber "\<\d\+\%(\.\d\+\)\=\h\w*"
syn match   journeyNumber "\<\d\+\%(\.\d\+\)\=\>"
syn match   journeyPercent "\<\d\+\%(\.\d\+\)\=%"
syn match   journeyDuration "\<\%(\d\+[smhdw]\)\+\>"
syn match   journeyTime "\<\d\d:\d\d\>"
syn match   journeyDate "\<\d\{4}-\d\d-\d\d\>"
syn keyword journeyBoolean true false
syn keyword journeyDay mon tue wed thu fri sat sun

" Keywords
syn keyword journeyDeclaration event profile journey channel function filter
syn keyword journeyControl node flow start entry goal wait until send segment split update exit end on window timeout reentry
syn keyword journeyOperatorWord and or not in contains starts_with ends_with
syn keyword journeyKeyword description timezone dnd limit per at after before within last did where from list
syn keyword journeyKeyword schedule once daily weekly monthly every day never always defer discard user fallback
syn keyword journeyKeyword set add remove increment decrement to by count sum avg min max
syn keyword journeyKeyword required optional status needs for
syn keyword journeyType string number bool datetime duration map any

" Names: node NAME, flow-step names, targets after ->, goals, channels,
" connector labels (statuses), entry.x / profile.x
syn match   journeyField "\<\h\w*\ze\s*:[^:]"
syn match   journeyNodeDef "\%(\<node\s\+\)\@<=\h\w*"
syn match   journeyNodeDef "^\s*\zs\h\w*\ze\s*:\s*\%(send\|wait\|segment\|split\|update\|exit\)\>"
syn match   journeyGoalDef "\%(\<goal\s\+\)\@<=\h\w*"
syn match   journeyChannel "\%(\<\%(send\|limit\|channel\)\s\+\)\@<=\h\w*"
syn match   journeyChannel "\%(\<for\s\+\%(\h\w*\s*,\s*\)*\)\@<=\h\w*"
syn match   journeyLabel "\<\h\w*\ze\s*->"
syn match   journeyArrow "->"
syn match   journeyTarget "\%(->\s*\)\@<=\h\w*" contains=journeyTargetKeyword
syn keyword journeyTargetKeyword contained end exit
syn match   journeyProperty "\<\%(entry\|profile\)\s*\.\s*\h\w*" contains=journeyPropertyRoot
syn match   journeyPropertyRoot contained "\<\%(entry\|profile\)\>"
syn keyword journeyStart start nextgroup=journeyArrow skipwhite
syn match   journeyOperator "==\|!=\|<=\|>=\|\.\."

hi def link journeyTodo          Todo
hi def link journeyLineComment   Comment
hi def link journeyBlockComment  Comment
hi def link journeyString        String
hi def link journeyTripleString  String
hi def link journeyEscape        SpecialChar
hi def link journeyInterpDelim   Delimiter
hi def link journeyInterp        Special
hi def link journeyInterpRaw     Special
hi def link journeyPipe          Operator
hi def link journeyFilter        Function
hi def link journeyFilterArg     String
hi def link journeyFilterArgEsc  String
hi def link journeyTemplateNumber Number
hi def link journeyBadNumber     Error
hi def link journeyNumber        Number
hi def link journeyPercent       Number
hi def link journeyDuration      Number
hi def link journeyTime          Number
hi def link journeyDate          Number
hi def link journeyBoolean       Boolean
hi def link journeyDay           Constant
hi def link journeyDeclaration   StorageClass
hi def link journeyControl       Statement
hi def link journeyStart         Statement
hi def link journeyOperatorWord  Operator
hi def link journeyKeyword       Keyword
hi def link journeyType          Type
hi def link journeyField         Identifier
hi def link journeyNodeDef       Function
hi def link journeyGoalDef       Label
hi def link journeyChannel       Type
hi def link journeyLabel         Constant
hi def link journeyArrow         Operator
hi def link journeyTarget        Function
hi def link journeyTargetKeyword Statement
hi def link journeyProperty      Identifier
hi def link journeyPropertyRoot  Special
hi def link journeyOperator      Operator

let b:current_syntax = "journey"

let &cpo = s:cpo_save
unlet s:cpo_save
