# cli_fix.cmake — journeyc check --fix: rewrites each file with the fixes its
# diagnostics offer, says how many each file got, and reports what is left;
# standard input's fixed text goes to stdout; a file with nothing to fix is
# not written.
#   -DJOURNEYC=... -DWORK=dir
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(schema "event \"A\" {\n  x: number\n}\n\n")
file(WRITE "${WORK}/fixable.journey" "${schema}journey \"J\" {\n  entry did \"A\" where x = 1\n  flow {\n    wait 3 days\n  }\n}\n")
file(WRITE "${WORK}/still_wrong.journey" "${schema}journey \"K\" {\n  entry did \"B\"\n  flow {\n    wait 1 hour\n  }\n}\n")
set(clean "${schema}journey \"L\" {\n  entry did \"A\"\n  flow {\n    wait 1d\n  }\n}\n")
file(WRITE "${WORK}/clean.journey" "${clean}")
file(TIMESTAMP "${WORK}/clean.journey" cleanBefore "%s")

# Before: the summary counts the fixable diagnostics.
execute_process(COMMAND ${JOURNEYC} check "${WORK}/fixable.journey" RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 1 OR NOT err MATCHES "2 of them have a fix: `journeyc check --fix` makes them")
  message(FATAL_ERROR "check: expected exit 1 and the fix summary, got ${rc}: ${err}")
endif()

execute_process(COMMAND ${JOURNEYC} check --fix "${WORK}/fixable.journey" "${WORK}/clean.journey" RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
file(READ "${WORK}/fixable.journey" fixed)
if(NOT rc EQUAL 0 OR NOT err MATCHES "fixable.journey: fixed 2 problems\n" OR NOT err MATCHES "fixed 2 problems in all\n" OR err MATCHES "clean.journey: fixed" OR NOT fixed STREQUAL "${schema}journey \"J\" {\n  entry did \"A\" where x == 1\n  flow {\n    wait 3d\n  }\n}\n")
  message(FATAL_ERROR "check --fix: expected exit 0, 2 fixes and the fixed text, got ${rc}: ${err}\n${fixed}")
endif()
file(READ "${WORK}/clean.journey" after)
if(NOT after STREQUAL "${clean}")
  message(FATAL_ERROR "check --fix changed a file with nothing to fix")
endif()

# What a fix cannot know stays an error, after the fix is made.
execute_process(COMMAND ${JOURNEYC} check --fix "${WORK}/still_wrong.journey" RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
file(READ "${WORK}/still_wrong.journey" fixed)
if(NOT rc EQUAL 1 OR NOT err MATCHES "still_wrong.journey: fixed 1 problem\n" OR err MATCHES "in all" OR NOT err MATCHES "J0103" OR err MATCHES "J0010" OR NOT fixed MATCHES "wait 1h\n")
  message(FATAL_ERROR "check --fix with an error left: expected exit 1, the fix made and J0103 reported, got ${rc}: ${err}\n${fixed}")
endif()

# A guess (the nearest declared name to an unknown one) is not made: the
# summary counts only the certain fix, and the unknown name stays reported.
file(WRITE "${WORK}/guess.journey" "${schema}journey \"G\" {\n  entry did \"AA\"\n  flow {\n    wait 3 days\n  }\n}\n")
execute_process(COMMAND ${JOURNEYC} check "${WORK}/guess.journey" RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 1 OR NOT err MATCHES "did you mean \"A\"" OR NOT err MATCHES "1 of them has a fix"
   OR NOT err MATCHES "1 has a guessed fix \\(the `did you mean`\\): `journeyc check --fix --guesses` makes it too")
  message(FATAL_ERROR "check with a guess: expected exit 1, the help and one certain fix counted, got ${rc}: ${err}")
endif()
execute_process(COMMAND ${JOURNEYC} check --fix "${WORK}/guess.journey" RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
file(READ "${WORK}/guess.journey" fixed)
if(NOT rc EQUAL 1 OR NOT err MATCHES "fixed 1 problem" OR NOT err MATCHES "J0103" OR NOT fixed MATCHES "entry did \"AA\"\n" OR NOT fixed MATCHES "wait 3d\n")
  message(FATAL_ERROR "check --fix with a guess: expected exit 1, the duration fixed and the event left, got ${rc}: ${err}\n${fixed}")
endif()

# With --guesses the guess is made too.
file(WRITE "${WORK}/guess.journey" "${schema}journey \"G\" {\n  entry did \"AA\"\n  flow {\n    wait 3 days\n  }\n}\n")
execute_process(COMMAND ${JOURNEYC} check --fix --guesses "${WORK}/guess.journey" RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
file(READ "${WORK}/guess.journey" fixed)
if(NOT rc EQUAL 0 OR NOT err MATCHES "guess.journey: fixed 2 problems\n" OR NOT fixed STREQUAL "${schema}journey \"G\" {\n  entry did \"A\"\n  flow {\n    wait 3d\n  }\n}\n")
  message(FATAL_ERROR "check --fix --guesses: expected exit 0 and both fixes made, got ${rc}: ${err}\n${fixed}")
endif()
# --guesses means nothing without --fix.
execute_process(COMMAND ${JOURNEYC} check --guesses "${WORK}/guess.journey" RESULT_VARIABLE rc ERROR_QUIET OUTPUT_QUIET)
if(rc EQUAL 0 OR rc EQUAL 1)
  message(FATAL_ERROR "check --guesses without --fix: expected a usage error, got ${rc}")
endif()

# Standard input: the fixed text on stdout, the report on stderr.
file(WRITE "${WORK}/stdin.journey" "${schema}journey \"M\" {\n  entry did \"A\" && not did \"A\" within 15 mins\n  flow {\n    wait 1d\n  }\n}\n")
execute_process(COMMAND ${JOURNEYC} check --fix - INPUT_FILE "${WORK}/stdin.journey" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out STREQUAL "${schema}journey \"M\" {\n  entry did \"A\" and not did \"A\" within 15m\n  flow {\n    wait 1d\n  }\n}\n")
  message(FATAL_ERROR "check --fix -: expected exit 0 and the fixed text on stdout, got ${rc}: ${err}\n${out}")
endif()
