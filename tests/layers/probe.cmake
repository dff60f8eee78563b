# Compiles one probe of tests/layers/probes with one target's include path and checks what
# happened (run by CTest, tests/CMakeLists.txt). Proves the floors' include roots and the OS
# fence of cmake/layers.cmake: a probe that includes a header its floor must not see fails to
# build, for the reason expected; the same probe with a floor that may see it builds.
#
#   cmake -DCOMPILER=c++ -DINCLUDES="dir|dir|…" -DPROBE=file.cpp -DEXPECT=build|fail
#         [-DERROR_REGEX=regex] [-DMUST_EXIST=path] -P probe.cmake
#
# INCLUDES is the target's whole include path ("|"-separated: the $<TARGET_PROPERTY:…,
# INCLUDE_DIRECTORIES> of the target, which holds what it inherits from the libraries it
# links). MUST_EXIST names the header the probe includes, so a failure cannot come from a
# header that is simply gone.
foreach(var COMPILER INCLUDES PROBE EXPECT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "probe.cmake: -D${var}=… is missing")
  endif()
endforeach()
if(DEFINED MUST_EXIST AND NOT EXISTS "${MUST_EXIST}")
  message(FATAL_ERROR "probe.cmake: ${MUST_EXIST} does not exist: the probe would prove nothing")
endif()

string(REPLACE "|" ";" dirs "${INCLUDES}")
set(flags -std=c++20 -fsyntax-only)
foreach(dir IN LISTS dirs)
  list(APPEND flags "-I${dir}")
endforeach()
execute_process(COMMAND ${COMPILER} ${flags} ${PROBE}
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
get_filename_component(name "${PROBE}" NAME)
string(REPLACE ";" " " shown "${flags}")

if(EXPECT STREQUAL "build")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${name} should build with ${shown} but failed:\n${err}")
  endif()
  message(STATUS "${name} builds with ${shown}")
elseif(EXPECT STREQUAL "fail")
  if(status EQUAL 0)
    message(FATAL_ERROR "${name} should not build with ${shown}, but it did")
  endif()
  if(DEFINED ERROR_REGEX AND NOT err MATCHES "${ERROR_REGEX}")
    message(FATAL_ERROR "${name} failed, but not with /${ERROR_REGEX}/:\n${err}")
  endif()
  string(REGEX MATCH "[^\n]*(error)[^\n]*" first_error "${err}")
  message(STATUS "${name} fails to build with ${shown}, as it must: ${first_error}")
else()
  message(FATAL_ERROR "probe.cmake: EXPECT must be build or fail, not ${EXPECT}")
endif()
