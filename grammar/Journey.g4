// Journey.g4 — the grammar of .journey files and of the stdlib declarations.
//
// One grammar serves both: a file is a list of declarations, and a journey
// file usually holds event/profile schema declarations followed by one
// `journey` block, while stdlib/*.jstd files hold `channel`, `function` and
// `filter` declarations. The grammar is newline-insensitive: every statement
// starts with a keyword, so no separators are needed.
//
// The parser is generated at build time into the build tree (never committed)
// and walked by exactly one hand-written builder, compiler/parse/builder.cpp,
// which turns the parse tree into our AST. Keep rule names stable: the builder
// names each Build… function after the rule it handles.
grammar Journey;

// ---------------------------------------------------------------- file
file : declaration* EOF ;

declaration
    : journeyDecl
    | eventDecl
    | profileDecl
    | channelDecl
    | functionDecl
    ;

// ---------------------------------------------------------------- schemas
eventDecl   : 'event' STRING '{' fieldDecl* '}' ;
profileDecl : 'profile' '{' fieldDecl* '}' ;
fieldDecl   : ident ':' typeRef ','? ;
typeRef     : ident ('<' typeRef '>')? ;

// ---------------------------------------------------------------- stdlib
channelDecl : 'channel' ident '{' channelItem* '}' ;
// `optional method: string in ["GET", "POST"]` limits a field to those
// values, `optional retry: number in 0..10` to a range (numbers or
// durations); `required text or template` asks for at least one of the fields.
channelItem
    : (REQUIRED | OPTIONAL) ident ':' typeRef
      ('in' '[' STRING (',' STRING)* ']' | 'in' fieldBound '..' fieldBound)? ','?   # channelField
    | REQUIRED ident (OR ident)+ ','?                        # channelRequiredGroup
    | STATUS ident (',' ident)* (NEEDS 'timeout')?           # channelStatus
    ;
fieldBound : NUMBER | DURATION ;
// `function lower(s: string) -> string` or `filter default(v: any, d: any) -> any`
functionDecl : (FUNCTION | FILTER) ident '(' (param (',' param)*)? ')' '->' typeRef ;
param        : ident ':' typeRef ;

// ---------------------------------------------------------------- journey
journeyDecl : 'journey' STRING '{' journeyItem* '}' ;

journeyItem
    : 'description' STRING                                        # descriptionItem
    | 'timezone' (STRING | USER (FALLBACK STRING)?)               # timezoneItem
    | 'entry' condition scheduleClause?                           # entryItem
    | 'reentry' (NEVER | ALWAYS | 'after' DURATION)               # reentryItem
    | 'timeout' DURATION                                          # timeoutItem
    | 'goal' ident ':' condition                                  # goalItem
    | 'dnd' days timeRange (DEFER | DISCARD) ('for' ident (',' ident)*)?   # dndItem
    | 'limit' ident NUMBER 'per' DURATION                         # limitItem
    | 'start' '->' target                                         # startItem
    | nodeDecl                                                    # nodeItem
    | 'flow' '{' flowStep+ '}'                                    # flowItem
    ;

// `every day`, `mon..fri`, `sat, sun`
days      : EVERY DAY | dayRange (',' dayRange)* ;
dayRange  : ident ('..' ident)? ;
timeRange : TIME '..' TIME ;

// Schedules of past-behaviour entries.
scheduleClause
    : 'schedule' ONCE 'at' dateTime                               # scheduleOnce
    | 'schedule' 'at' dateTime (',' dateTime)*                    # scheduleDates
    | 'schedule' DAILY 'at' TIME                                  # scheduleDaily
    | 'schedule' WEEKLY 'on' ident (',' ident)* 'at' TIME         # scheduleWeekly
    | 'schedule' MONTHLY 'on' NUMBER (',' NUMBER)* 'at' TIME      # scheduleMonthly
    ;
dateTime : DATE TIME? ;

// ---------------------------------------------------------------- nodes
nodeDecl : 'node' ident ':' nodeBody nodeTail ;
flowStep : (ident ':')? nodeBody nodeTail ;
nodeTail : ('window' DURATION)? ('->' target)? ('on' connector (',' connector)*)? ;
connector : ident '->' target ;
target    : ident | 'end' | 'exit' ;

nodeBody
    : 'wait' DURATION                                             # waitFor
    | 'wait' 'until' (ident (',' ident)*)? TIME                   # waitUntilTime
    | 'wait' 'until' (DURATION (BEFORE | 'after'))? expr          # waitUntilProperty
    | 'segment' condition                                         # segmentNode
    | 'send' ident ('at' TIME)? contentBlock                      # sendNode
    | 'split' '{' splitArm (',' splitArm)* ','? '}'               # splitNode
    | 'update' '{' updateOp+ '}'                                  # updateBlock
    | 'update' updateOp                                           # updateSingle
    | 'exit'                                                      # exitNode
    ;

contentBlock : '{' contentField* '}' ;
contentField : ident ':' expr ','? ;
splitArm     : ident ':' PERCENT ;

updateOp
    : SET expr 'to' expr                                          # updateSet
    | ADD expr 'to' expr                                          # updateAdd
    | REMOVE expr 'from' expr                                     # updateRemove
    | INCREMENT expr ('by' expr)?                                 # updateIncrement
    | DECREMENT expr ('by' expr)?                                 # updateDecrement
    ;

// ---------------------------------------------------------------- conditions
// Conditions are expressions plus the segment atoms (did, journey trigger,
// custom list, date-property relative). A `where` clause takes a plain
// expression and extends as far as it can; parenthesise to stop it early.
condition
    : NOT condition                                               # notCondition
    | condition AND condition                                     # andCondition
    | condition OR condition                                      # orCondition
    | '(' condition ')'                                           # parenCondition
    | DID? STRING ('where' expr)? aggregate? period?               # didCondition
    | 'from' 'journey' STRING 'node' ident                         # journeyTriggerCondition
    | 'in' 'list' STRING                                           # listCondition
    | DURATION (BEFORE | 'after') expr                             # relativeTimeCondition
    | expr                                                        # exprCondition
    ;

aggregate
    : COUNT compareOp NUMBER
    | (SUM | AVG | MIN | MAX) ident compareOp NUMBER
    ;
period
    : 'in' LAST DURATION                                          # pastPeriod
    | 'within' DURATION                                           # livePeriod
    ;
compareOp : '==' | '!=' | '<' | '<=' | '>' | '>=' ;

// ---------------------------------------------------------------- expressions
expr
    : expr '.' ident                                              # memberExpr
    | expr '[' expr ']'                                           # indexExpr
    | '-' expr                                                    # negateExpr
    | expr op=('*' | '/' | '%') expr                              # mulExpr
    | expr op=('+' | '-') expr                                    # addExpr
    | expr op=('==' | '!=' | '<' | '<=' | '>' | '>=') expr        # compareExpr
    | expr op=('in' | CONTAINS | STARTS_WITH | ENDS_WITH) expr    # membershipExpr
    | NOT expr                                                    # notExpr
    | expr AND expr                                               # andExpr
    | expr OR expr                                                # orExpr
    | ident '(' (expr (',' expr)*)? ')'                           # callExpr
    | '(' expr ')'                                                # parenExpr
    | '[' (expr (',' expr)* ','?)? ']'                            # listExpr
    | '{' (mapEntry (',' mapEntry)* ','?)? '}'                    # mapExpr
    | literal                                                     # literalExpr
    | ident                                                       # nameExpr
    ;
mapEntry : (ident | STRING) ':' expr ;

literal
    : STRING | TRIPLE_STRING | NUMBER | PERCENT | DURATION | TIME | DATE
    | TRUE | FALSE
    ;

// Words that are keywords only in some positions and may still name a
// property, a field, a connector label or a channel.
ident
    : IDENT | USER | FALLBACK | NEVER | ALWAYS | DEFER | DISCARD | EVERY | DAY
    | ONCE | DAILY | WEEKLY | MONTHLY | SET | ADD | REMOVE | INCREMENT | DECREMENT
    | COUNT | SUM | AVG | MIN | MAX | REQUIRED | OPTIONAL | STATUS | NEEDS
    | FUNCTION | FILTER | BEFORE
    | 'timeout' | 'description' | 'timezone' | 'entry' | 'window' | 'limit'
    | 'event' | 'profile' | 'channel' | 'journey' | 'node' | 'list' | 'update'
    | 'split' | 'send' | 'segment' | 'start' | 'goal' | 'schedule' | 'wait' | 'to' | 'by'
    | 'from'
    ;

// ---------------------------------------------------------------- lexer
NOT       : 'not' ;
AND       : 'and' ;
OR        : 'or' ;
DID       : 'did' ;
TRUE      : 'true' ;
FALSE     : 'false' ;
CONTAINS  : 'contains' ;
STARTS_WITH : 'starts_with' ;
ENDS_WITH : 'ends_with' ;
LAST      : 'last' ;
USER      : 'user' ;
FALLBACK  : 'fallback' ;
NEVER     : 'never' ;
ALWAYS    : 'always' ;
DEFER     : 'defer' ;
DISCARD   : 'discard' ;
EVERY     : 'every' ;
DAY       : 'day' ;
ONCE      : 'once' ;
DAILY     : 'daily' ;
WEEKLY    : 'weekly' ;
MONTHLY   : 'monthly' ;
SET       : 'set' ;
ADD       : 'add' ;
REMOVE    : 'remove' ;
INCREMENT : 'increment' ;
DECREMENT : 'decrement' ;
COUNT     : 'count' ;
SUM       : 'sum' ;
AVG       : 'avg' ;
MIN       : 'min' ;
MAX       : 'max' ;
REQUIRED  : 'required' ;
OPTIONAL  : 'optional' ;
STATUS    : 'status' ;
NEEDS     : 'needs' ;
FUNCTION  : 'function' ;
FILTER    : 'filter' ;
BEFORE    : 'before' ;

// 2026-12-01 and 09:30 (24-hour clock).
DATE      : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT ;
TIME      : DIGIT DIGIT ':' DIGIT DIGIT ;
// 30m, 6h, 3d, 2w, 90s, and compounds such as 1h30m.
DURATION  : (DIGIT+ [smhdw])+ ;
PERCENT   : DIGIT+ ('.' DIGIT+)? '%' ;
NUMBER    : DIGIT+ ('.' DIGIT+)? ;
// A number glued to letters that do not form a duration (e.g. `15min`, `3x`):
// lexed as one token so the builder can name the mistake instead of the
// parser reporting a confusing token split.
BAD_NUMBER : DIGIT+ ('.' DIGIT+)? [a-zA-Z_] [a-zA-Z_0-9]* ;

TRIPLE_STRING : '"""' .*? '"""' ;
STRING    : '"' ( '\\' . | ~["\\\r\n] )* '"' ;
// A string that reaches the end of its line: reported as unterminated.
UNTERMINATED_STRING : '"' ( '\\' . | ~["\\\r\n] )* ;

IDENT     : [a-zA-Z_] [a-zA-Z_0-9]* ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WS        : [ \t\r\n]+ -> skip ;
// Any other character becomes a token the parser rejects with a location.
UNKNOWN_CHAR : . ;

fragment DIGIT : [0-9] ;
