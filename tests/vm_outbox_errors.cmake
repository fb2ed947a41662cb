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
