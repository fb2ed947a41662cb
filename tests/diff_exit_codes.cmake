# diff_exit_codes.cmake — `journeyc diff --detailed-exitcode` on edits of a
# real example: 0 identical, 2 content-only, 3 structural, 1 errors; and
# plain `diff` exits 0 for any classification.
#   -DJOURNEYC=... -DWORK=dir
file(MAKE_DIRECTORY "${WORK}")
file(READ examples/abandoned_cart.journey base)
string(REPLACE "cart_reminder_with_items" "cart_reminder_v2" content "${base}")
string(REPLACE "timeout 3d" "timeout 4d" structural "${base}")
string(REPLACE "-> came_back" "-> no_such_node" broken "${base}")
foreach(name base content structural broken)
  file(WRITE ${WORK}/${name}.journey "${${name}}")
endforeach()
foreach(pair "base;0" "content;2" "structural;3" "broken;1")
  list(GET pair 0 name)
  list(GET pair 1 want)
  execute_process(COMMAND ${JOURNEYC} diff --detailed-exitcode ${WORK}/base.journey ${WORK}/${name}.journey
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_QUIET)
  if(NOT rc EQUAL want)
    message(FATAL_ERROR "diff --detailed-exitcode base ${name}: expected ${want}, got ${rc}\n${out}")
  endif()
endforeach()
execute_process(COMMAND ${JOURNEYC} diff ${WORK}/base.journey ${WORK}/structural.journey RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "structural change" OR NOT out MATCHES "structural.journey:[0-9]+:3: structural: timeout changed")
  message(FATAL_ERROR "plain diff: rc ${rc}, output:\n${out}")
endif()
