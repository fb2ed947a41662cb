# vm_cli.cmake — journey-vm refuses corrupt or truncated bytecode with a
# clear error and exit status 1, and accepts the intact file.
set(work ${WORK})
file(MAKE_DIRECTORY ${work})
execute_process(COMMAND ${JOURNEYC} compile examples/cart_inaction.journey -o ${work}/ok.jbc RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "journeyc compile failed")
endif()
execute_process(COMMAND ${VM} verify ${work}/ok.jbc RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "ok")
  message(FATAL_ERROR "intact file not accepted: ${rc} ${out}")
endif()
file(READ ${work}/ok.jbc hex HEX)
string(LENGTH "${hex}" n)
math(EXPR half "${n} / 2")
string(SUBSTRING "${hex}" 0 ${half} cut)
# Write the first half back as bytes.
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${cut}")
execute_process(COMMAND printf "${escaped}" OUTPUT_FILE ${work}/cut.jbc)
execute_process(COMMAND ${VM} verify ${work}/cut.jbc RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT err MATCHES "cut.jbc: (checksum mismatch|.*truncated)")
  message(FATAL_ERROR "truncated file: expected exit 1 and a reason, got ${rc}: ${err}")
endif()
file(WRITE ${work}/text.jbc "this is not bytecode at all, just text that is long enough")
execute_process(COMMAND ${VM} run ${work}/text.jbc --events /dev/null RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT err MATCHES "bad magic")
  message(FATAL_ERROR "text file: expected exit 1 and bad magic, got ${rc}: ${err}")
endif()
# A deploy must name a running journey; a bad deploy spec is a usage error.
execute_process(COMMAND ${VM} run examples/purchase_push_reentry.journey --events /dev/null
                        --deploy 2026-11-23T12:00:00Z=examples/cart_inaction.journey
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 1 OR NOT err MATCHES "no journey named \"Cart reminder after 15 minutes\" is running")
  message(FATAL_ERROR "deploy of an unknown journey: expected exit 1 and a reason, got ${rc}: ${err}")
endif()
execute_process(COMMAND ${VM} run examples/purchase_push_reentry.journey --events /dev/null --deploy tomorrow
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 2 OR NOT err MATCHES "--deploy takes TIME=FILE")
  message(FATAL_ERROR "bad --deploy: expected exit 2, got ${rc}: ${err}")
endif()
# Lifecycle: a stopped journey cannot be restarted, a running one cannot be
# archived; both are refused with a reason and exit 1.
foreach(case "stop:Thank-you promo after every purchase|resume:Thank-you promo after every purchase|a stopped journey cannot be restarted"
             "pause:Thank-you promo after every purchase|archive:Thank-you promo after every purchase|a running journey cannot be archived")
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 first)
  list(GET parts 1 second)
  list(GET parts 2 reason)
  execute_process(COMMAND ${VM} run examples/purchase_push_reentry.journey --events /dev/null
                          --lifecycle 2026-11-23T10:00:00Z=${first} --lifecycle 2026-11-23T11:00:00Z=${second}
                  RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
  if(NOT rc EQUAL 1 OR NOT err MATCHES "${reason}")
    message(FATAL_ERROR "--lifecycle ${first} then ${second}: expected exit 1 and '${reason}', got ${rc}: ${err}")
  endif()
endforeach()
# A custom list that cannot be read is a warning naming it; the run goes on.
file(MAKE_DIRECTORY ${work}/nolist)
file(COPY tests/scenarios/custom_list_entry/journey.journey DESTINATION ${work}/nolist)
execute_process(COMMAND ${VM} run ${work}/nolist/journey.journey --events /dev/null -q
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 0 OR NOT err MATCHES "warning: cannot read custom list [^\n]*nolist/lists/vip.csv: cannot open")
  message(FATAL_ERROR "missing custom list: expected exit 0 and a warning naming it, got ${rc}: ${err}")
endif()
# A journey that is a directory or is missing: exit 1 naming it and why (a
# directory used to abort the VM with an uncaught stream exception).
execute_process(COMMAND ${VM} run ${work} --events /dev/null RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT err MATCHES "error: .*: it is a directory")
  message(FATAL_ERROR "directory as a journey: expected exit 1 and 'it is a directory', got ${rc}: ${err}")
endif()
execute_process(COMMAND ${VM} run ${work}/missing.journey --events /dev/null RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT err MATCHES "missing.journey: cannot be read" OR err MATCHES "does not compile")
  message(FATAL_ERROR "missing .journey: expected exit 1 and 'cannot be read', got ${rc}: ${err}")
endif()
execute_process(COMMAND ${VM} run ${work}/missing.jbc --events /dev/null RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT err MATCHES "missing.jbc: cannot open \\(No such file or directory\\)")
  message(FATAL_ERROR "missing .jbc: expected exit 1 and the reason, got ${rc}: ${err}")
endif()
# An event path that cannot be read is named in the error (exit 2).
execute_process(COMMAND ${VM} run ${work}/ok.jbc --events ${work} RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 2 OR NOT err MATCHES "error: reading [^\n]*: Is a directory")
  message(FATAL_ERROR "directory as the event file: expected exit 2 naming it, got ${rc}: ${err}")
endif()
# Statistics of a time frame: dates are checked, and a frame must not end
# before it starts (usage errors, exit 2).
execute_process(COMMAND ${VM} run examples/cart_inaction.journey --events /dev/null --stats-from 2026-13-01
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 2 OR NOT err MATCHES "expected a date YYYY-MM-DD")
  message(FATAL_ERROR "bad --stats-from: expected exit 2 and a reason, got ${rc}: ${err}")
endif()
execute_process(COMMAND ${VM} run examples/cart_inaction.journey --events /dev/null --stats-from 2026-11-25 --stats-to 2026-11-24
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 2 OR NOT err MATCHES "--stats-from 2026-11-25 is after --stats-to 2026-11-24")
  message(FATAL_ERROR "--stats-from after --stats-to: expected exit 2, got ${rc}: ${err}")
endif()
execute_process(COMMAND ${VM} run examples/cart_inaction.journey --events examples/events/cart_inaction.ndjson --stats-to 2026-11-23
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 0 OR NOT err MATCHES "days start to 2026-11-23")
  message(FATAL_ERROR "--stats-to alone: expected the frame named in the summary, got ${rc}: ${err}")
endif()
