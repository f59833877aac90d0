# The layer check (cmake -P), run by CTest as LayerIncludes: every `#include "g2g/<folder>/..."`
# in src/g2g must name a folder of the file's own layer or of a layer it links (directly or not),
# and the layers' links must form no cycle. Inputs (-D): SOURCE_DIR (src/g2g) and LAYERS, a file
# written by tests/CMakeLists.txt from the g2g_layer() calls of src/g2g/CMakeLists.txt, setting
# g2g_layers (the targets), folders_<target> and links_<target> (the layers it names).
cmake_minimum_required(VERSION 3.25)
include(${LAYERS})

foreach(layer ${g2g_layers})
  foreach(folder ${folders_${layer}})
    set(layer_of_${folder} ${layer})
  endforeach()
endforeach()

# closure_<target>: the target and every layer it reaches through its links; a cycle is an error.
function(close_layer layer path)
  if(DEFINED closure_${layer})
    return()
  endif()
  if(layer IN_LIST path)
    list(APPEND path ${layer})
    string(REPLACE ";" " -> " cycle "${path}")
    message(FATAL_ERROR "the layers link in a cycle: ${cycle}")
  endif()
  set(closure ${layer})
  set(next_path ${path} ${layer})
  foreach(link ${links_${layer}})
    if(NOT link IN_LIST g2g_layers)
      message(FATAL_ERROR "${layer} links ${link}, which is no layer")
    endif()
    close_layer(${link} "${next_path}")
    list(APPEND closure ${closure_${link}})
  endforeach()
  list(REMOVE_DUPLICATES closure)
  set(closure_${layer} ${closure} PARENT_SCOPE)
endfunction()
foreach(layer ${g2g_layers})
  close_layer(${layer} "")
endforeach()

set(errors "")
set(checked 0)
foreach(layer ${g2g_layers})
  foreach(folder ${folders_${layer}})
    file(GLOB files ${SOURCE_DIR}/${folder}/*.cpp ${SOURCE_DIR}/${folder}/*.hpp
         ${SOURCE_DIR}/${folder}/*.cpp.in)
    foreach(file ${files})
      math(EXPR checked "${checked} + 1")
      file(STRINGS ${file} includes REGEX "^[ \t]*#[ \t]*include[ \t]+\"g2g/")
      foreach(line ${includes})
        string(REGEX REPLACE ".*\"g2g/([^/\"]+)/.*" "\\1" included "${line}")
        file(RELATIVE_PATH where ${SOURCE_DIR} ${file})
        if(NOT DEFINED layer_of_${included})
          string(APPEND errors "  src/g2g/${where}: ${line}: ${included}/ belongs to no layer "
                 "built here\n")
        elseif(NOT layer_of_${included} IN_LIST closure_${layer})
          string(APPEND errors "  src/g2g/${where} (${layer}): ${line}: ${included}/ is in "
                 "${layer_of_${included}}, which ${layer} does not link\n")
        endif()
      endforeach()
    endforeach()
  endforeach()
endforeach()

if(errors)
  message(FATAL_ERROR "includes across layers that the layers do not link "
    "(src/g2g/CMakeLists.txt, docs/architecture.md § Layers):\n${errors}")
endif()
list(LENGTH g2g_layers layer_count)
message(STATUS "${checked} files of ${layer_count} layers include only the layers they link")
