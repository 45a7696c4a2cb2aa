# Fails when a module includes a header it must not see (DESIGN.md, dependency direction):
#   core/ never includes Qt, ui/ or app/;  ui/ never includes app/;
#   inside core, lower modules never include higher ones.
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "pass -DSOURCE_DIR=<repo root>")
endif()

set(violations "")

function(check_dir dir regex what)
  file(GLOB_RECURSE files "${SOURCE_DIR}/${dir}/*.h" "${SOURCE_DIR}/${dir}/*.cpp")
  foreach(f ${files})
    file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include")
    foreach(line ${lines})
      if(line MATCHES "${regex}")
        file(RELATIVE_PATH rel "${SOURCE_DIR}" "${f}")
        set(violations "${violations}\n  ${rel}: ${what}: ${line}")
      endif()
    endforeach()
  endforeach()
  set(violations "${violations}" PARENT_SCOPE)
endfunction()

check_dir(core "[<\"](Q[A-Za-z]+|Qt[A-Za-z]*/)" "core must not include Qt")
check_dir(core "[<\"](ui|app)/" "core must not include ui/ or app/")
check_dir(ui "[<\"]app/" "ui must not include app/")

# Order of core modules, lowest first. A module may include only itself and lower modules.
set(order common table eval ml drift geo store pipeline report)
list(LENGTH order n)
math(EXPR last "${n} - 1")
foreach(i RANGE ${last})
  list(GET order ${i} module)
  math(EXPR next "${i} + 1")
  if(next LESS n)
    list(SUBLIST order ${next} -1 higher)
    foreach(h ${higher})
      check_dir(core/${module} "[<\"]core/${h}/" "core/${module} must not include core/${h}")
    endforeach()
  endif()
endforeach()

if(violations)
  message(FATAL_ERROR "Module boundary violations:${violations}")
endif()
message(STATUS "layout ok")
