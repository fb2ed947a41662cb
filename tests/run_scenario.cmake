# run_scenario.cmake — one run-output golden test.
#
# Runs journey-vm on JOURNEYS with EVENTS (plus ARGS) and compares the outbox
# and the statistics JSON with the expected files. With JOURNEY_UPDATE_GOLDEN
# set in the environment it rewrites the expected files instead.
#   -DVM=... -DJOURNEYS="a.journey;b.journey" -DEVENTS=... -DARGS="--schedule=clevertap"
#   -DOUTBOX=expected.outbox.ndjson -DSTATS=expected.stats.json -DWORK=dir
string(REPLACE "|" ";" JOURNEYS "${JOURNEYS}")
string(REPLACE "|" ";" ARGS "${ARGS}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(
  COMMAND ${VM} run ${JOURNEYS} --events ${EVENTS} --outbox ${WORK}/outbox.ndjson --stats ${WORK}/stats.json
          --dead-letter ${WORK}/dead.ndjson --quiet ${ARGS}
  RESULT_VARIABLE rc
  ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "journey-vm failed (${rc}):\n${err}")
endif()
foreach(pair "outbox.ndjson;${OUTBOX}" "stats.json;${STATS}")
  list(GET pair 0 produced)
  list(GET pair 1 expected)
  if(DEFINED ENV{JOURNEY_UPDATE_GOLDEN} AND NOT "$ENV{JOURNEY_UPDATE_GOLDEN}" STREQUAL "0")
    file(COPY_FILE "${WORK}/${produced}" "${expected}")
    continue()
  endif()
  if(NOT EXISTS "${expected}")
    message(FATAL_ERROR "missing ${expected} (run tests/update-golden.sh)")
  endif()
  file(READ "${WORK}/${produced}" actual)
  file(READ "${expected}" wanted)
  if(NOT actual STREQUAL wanted)
    execute_process(COMMAND diff -u "${expected}" "${WORK}/${produced}")
    message(FATAL_ERROR "${produced} differs from ${expected}")
  endif()
endforeach()
