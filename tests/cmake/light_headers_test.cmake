# Fails if a light public header pulls in a protobuf header. Invoked by CTest as
#   cmake -DCXX=... -DINCLUDE_DIRS=a,b -DHEADERS=value.h,... -DWORK_DIR=... -P light_headers_test.cmake
# Training code includes <hparams/hparams.h> in many files; protobuf's headers
# would triple its compile time, and tie a reader of logdirs to the protobuf
# version the library was built with, so they stay behind the opt-in summary.h.
cmake_minimum_required(VERSION 3.25)

string(REPLACE "," ";" INCLUDE_DIRS "${INCLUDE_DIRS}")
string(REPLACE "," ";" HEADERS "${HEADERS}")
set(include_args)
foreach(dir IN LISTS INCLUDE_DIRS)
  list(APPEND include_args -I${dir})
endforeach()
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(failed)
foreach(header IN LISTS HEADERS)
  set(tu ${WORK_DIR}/tu.cc)
  file(WRITE ${tu} "#include <hparams/${header}>\n")
  # -M lists every header the translation unit reads.
  execute_process(COMMAND ${CXX} -std=c++17 -M ${include_args} ${tu}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE deps ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "hparams/${header} does not compile on its own:\n${err}")
  endif()
  string(REGEX MATCHALL "[^ \n\\\\]*(google/protobuf/|\\.pb\\.h)[^ \n\\\\]*" heavy "${deps}")
  if(heavy)
    list(GET heavy 0 first)
    list(LENGTH heavy count)
    list(APPEND failed "hparams/${header} pulls in ${count} protobuf headers, e.g. ${first}")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK_DIR})
if(failed)
  list(JOIN failed "\n" text)
  message(FATAL_ERROR "${text}")
endif()
message(STATUS "no protobuf header behind: ${HEADERS}")
