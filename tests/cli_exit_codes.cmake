# cli_exit_codes.cmake — journeyc's exit statuses: 1 for user errors (here a
# file with errors), 1 for -Werror with only warnings, 2 for unreadable input.
execute_process(COMMAND ${JOURNEYC} check tests/golden/diagnostics/three_independent_errors.journey
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "expected exit 1 for a file with errors, got ${rc}")
endif()
execute_process(COMMAND ${JOURNEYC} check tests/golden/diagnostics/J0301_unreachable_node.journey
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "expected exit 0 for warnings only, got ${rc}")
endif()
execute_process(COMMAND ${JOURNEYC} check -Werror tests/golden/diagnostics/J0301_unreachable_node.journey
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "expected exit 1 for warnings with -Werror, got ${rc}")
endif()
execute_process(COMMAND ${JOURNEYC} check does/not/exist.journey RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "expected exit 2 for a missing file, got ${rc}")
endif()
execute_process(COMMAND ${JOURNEYC} check --format=json tests/golden/diagnostics/three_independent_errors.journey
                OUTPUT_VARIABLE json RESULT_VARIABLE rc ERROR_QUIET)
string(JSON count GET "${json}" error_count)
if(NOT count EQUAL 3)
  message(FATAL_ERROR "expected 3 errors in JSON output, got ${count}")
endif()
# graph --stats: statistics of another journey are bad input (1), a missing
# statistics file a file that cannot be read (2).
execute_process(COMMAND ${JOURNEYC} graph examples/abandoned_cart.journey --stats tests/golden/run/onboarding.stats.json
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT err MATCHES "has no statistics of journey \"Abandoned cart recovery\" \\(it has \"Multi-channel onboarding\"\\)")
  message(FATAL_ERROR "expected exit 1 naming the missing journey, got ${rc}: ${err}")
endif()
execute_process(COMMAND ${JOURNEYC} graph examples/abandoned_cart.journey --stats does/not/exist.json
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 2 OR NOT err MATCHES "cannot read does/not/exist.json")
  message(FATAL_ERROR "expected exit 2 for a missing statistics file, got ${rc}: ${err}")
endif()
