# fmt_golden.cmake — one `journeyc fmt` golden test: CASE.journey formats to
# CASE.expected, the expected text is a fixed point (formatting it again
# changes nothing, and `fmt --check` accepts it), and `fmt --check` rejects
# the unformatted input with exit 1. JOURNEY_UPDATE_GOLDEN rewrites CASE.expected.
#   -DJOURNEYC=... -DCASE=tests/golden/fmt/NAME -DWORK=dir
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND ${JOURNEYC} fmt ${CASE}.journey OUTPUT_VARIABLE formatted RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "journeyc fmt failed (${rc}): ${err}")
endif()
if(DEFINED ENV{JOURNEY_UPDATE_GOLDEN} AND NOT "$ENV{JOURNEY_UPDATE_GOLDEN}" STREQUAL "0")
  file(WRITE ${CASE}.expected "${formatted}")
endif()
file(READ ${CASE}.expected wanted)
if(NOT formatted STREQUAL wanted)
  file(WRITE ${WORK}/actual.journey "${formatted}")
  execute_process(COMMAND diff -u ${CASE}.expected ${WORK}/actual.journey)
  message(FATAL_ERROR "journeyc fmt ${CASE}.journey differs from ${CASE}.expected")
endif()
file(WRITE ${WORK}/again.journey "${formatted}")
execute_process(COMMAND ${JOURNEYC} fmt --check ${WORK}/again.journey RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "formatting is not idempotent: fmt --check rejects its own output (${rc})")
endif()
execute_process(COMMAND ${JOURNEYC} fmt --check ${CASE}.journey RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "fmt --check should exit 1 on the unformatted input, got ${rc}")
endif()
