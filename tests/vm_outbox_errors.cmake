# vm_outbox_errors.cmake — journey-vm run reports an outbox it cannot open
# or write (exit 2, the file and the reason) instead of losing sends.
set(work ${WORK})
file(MAKE_DIRECTORY ${work})
# An outbox that cannot be written (a full disk) is an error, exit 2, not
# a run that silently lost its sends.
if(EXISTS /dev/full)
  execute_process(COMMAND ${VM} run examples/cart_inaction.journey --events examples/events/cart_inaction.ndjson --outbox /dev/full -q
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 2 OR NOT err MATCHES "error: writing /dev/full: No space left on device")
    message(FATAL_ERROR "outbox on a full disk: expected exit 2 and the reason, got ${rc}: ${err}")
  endif()
endif()
execute_process(COMMAND ${VM} run examples/cart_inaction.journey --events examples/events/cart_inaction.ndjson --outbox ${work}/no-such-dir/out.ndjson -q
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 2 OR NOT err MATCHES "cannot write .*no-such-dir/out.ndjson: No such file or directory")
  message(FATAL_ERROR "outbox in a missing directory: expected exit 2 and the reason, got ${rc}: ${err}")
endif()
# Reports written at the end (--stats, --stats-csv, --dump-state, --save)
# are checked before the run: a path in a missing directory is exit 2 at
# once, before the outbox is even created.
execute_process(COMMAND ${VM} run examples/cart_inaction.journey --events examples/events/cart_inaction.ndjson
                        --outbox ${work}/early.ndjson --stats ${work}/no-such-dir/stats.json -q
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 2 OR NOT err MATCHES "cannot write .*no-such-dir/stats.json: there is no directory" OR EXISTS ${work}/early.ndjson)
  message(FATAL_ERROR "stats in a missing directory: expected exit 2 before the run, got ${rc}: ${err}")
endif()
# A report that cannot be written at the end is exit 2 with the reason, not
# a run that looks complete without it. /dev/full is reached through a link
# of our own: were the link ever renamed over again, it is the link that
# goes, not the device node (as root that rename replaces /dev/full itself).
if(EXISTS /dev/full)
  file(REMOVE ${work}/full-link)
  file(CREATE_LINK /dev/full ${work}/full-link SYMBOLIC)
  execute_process(COMMAND ${VM} run examples/cart_inaction.journey --events examples/events/cart_inaction.ndjson
                          --outbox ${work}/full-stats.ndjson --stats-csv ${work}/full-link -q
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 2 OR NOT err MATCHES "error: cannot write .*full-link: No space left on device")
    message(FATAL_ERROR "stats on a full disk: expected exit 2 and the reason, got ${rc}: ${err}")
  endif()
endif()
# A report path that is a link is written through: the link stays a link.
file(REMOVE ${work}/stats-target.json ${work}/stats-link.json)
file(CREATE_LINK ${work}/stats-target.json ${work}/stats-link.json SYMBOLIC)
execute_process(COMMAND ${VM} run examples/cart_inaction.journey --events examples/events/cart_inaction.ndjson
                        --outbox ${work}/linked.ndjson --stats ${work}/stats-link.json -q RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT IS_SYMLINK ${work}/stats-link.json OR NOT EXISTS ${work}/stats-target.json)
  message(FATAL_ERROR "stats through a link: expected the link kept and its target written, got ${rc}")
endif()
