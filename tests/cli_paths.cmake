# cli_paths.cmake — journeyc check and fmt take directories: a directory
# stands for the .journey files under it, sorted, skipping directories whose
# names start with a dot; a directory with none, and a directory given to
# compile, are exit 2 with a message naming it.
#   -DJOURNEYC=... -DWORK=dir
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/tree/sub" "${WORK}/tree/.hidden" "${WORK}/empty")
set(valid "event \"A\" {\n  x: number\n}\n\njourney \"J\" {\n  entry did \"A\"\n  flow {\n    wait 1d\n  }\n}\n")
file(WRITE "${WORK}/tree/one.journey" "${valid}")
file(WRITE "${WORK}/tree/sub/two.journey" "event \"A\" {\n  x: number\n}\n\njourney \"K\" {\n  entry did \"B\"\n  flow {\n    wait 1d\n  }\n}\n")
file(WRITE "${WORK}/tree/.hidden/three.journey" "not a journey")
file(WRITE "${WORK}/tree/notes.txt" "not a journey either")

execute_process(COMMAND ${JOURNEYC} check --format=json "${WORK}/tree" OUTPUT_VARIABLE json RESULT_VARIABLE rc ERROR_QUIET)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "check DIR: expected exit 1 (two.journey has an error), got ${rc}")
endif()
string(JSON count GET "${json}" error_count)
string(JSON file GET "${json}" diagnostics 0 range filename)
if(NOT count EQUAL 1 OR NOT file MATCHES "tree/sub/two.journey$")
  message(FATAL_ERROR "check DIR: expected one error, in sub/two.journey; got ${count} in ${file}")
endif()

execute_process(COMMAND ${JOURNEYC} fmt --check "${WORK}/tree" OUTPUT_VARIABLE listed RESULT_VARIABLE rc ERROR_QUIET)
if(NOT rc EQUAL 0 OR NOT listed STREQUAL "")
  message(FATAL_ERROR "fmt --check DIR: expected both files formatted (exit 0), got ${rc}: ${listed}")
endif()
file(WRITE "${WORK}/tree/sub/two.journey" "event \"A\" { x: number }\njourney \"K\" { entry did \"A\" flow { wait 1d } }\n")
execute_process(COMMAND ${JOURNEYC} fmt --check "${WORK}/tree" OUTPUT_VARIABLE listed RESULT_VARIABLE rc ERROR_QUIET)
if(NOT rc EQUAL 1 OR NOT listed MATCHES "tree/sub/two.journey\n$" OR listed MATCHES "one.journey")
  message(FATAL_ERROR "fmt --check DIR: expected only sub/two.journey listed (exit 1), got ${rc}: ${listed}")
endif()

# Runs journeyc with the arguments after `pattern`; it must exit 2 with a
# message matching `pattern`.
function(expect_usage_error what pattern)
  execute_process(COMMAND ${JOURNEYC} ${ARGN} RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
  if(NOT rc EQUAL 2 OR NOT err MATCHES "${pattern}")
    message(FATAL_ERROR "${what}: expected exit 2 and a message matching '${pattern}', got ${rc}: ${err}")
  endif()
endfunction()
expect_usage_error("check of a directory without journeys" "no .journey files in .*empty" check "${WORK}/empty")
expect_usage_error("compile of a directory" "cannot read .*tree: it is a directory" compile "${WORK}/tree")
expect_usage_error("check of a missing file" "cannot open .*missing.journey: No such file or directory" check "${WORK}/missing.journey")
