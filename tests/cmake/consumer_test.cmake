# Builds tests/consumer against hparams and runs it. Invoked by CTest as
#   cmake -DMODE=find_package|add_subdirectory -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -P consumer_test.cmake
# find_package mode first installs BUILD_DIR into a private prefix, so it tests
# the installed package exactly as a user gets it.
cmake_minimum_required(VERSION 3.25)

function(run_step)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "step failed (${rc}): ${ARGV}\n${out}\n${err}")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(generator_args)
find_program(NINJA ninja)
if(NINJA)
  set(generator_args -G Ninja)
endif()

if(MODE STREQUAL "find_package")
  run_step(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix)
  run_step(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${WORK_DIR}/build ${generator_args}
           -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DHPARAMS_CONSUMER_MODE=find_package
           -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS=${CXX_FLAGS} -DCMAKE_EXE_LINKER_FLAGS=${CXX_FLAGS})
else()
  run_step(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${WORK_DIR}/build ${generator_args}
           -DHPARAMS_SOURCE_DIR=${SOURCE_DIR} -DHPARAMS_CONSUMER_MODE=add_subdirectory
           -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS=${CXX_FLAGS} -DCMAKE_EXE_LINKER_FLAGS=${CXX_FLAGS})
endif()
run_step(${CMAKE_COMMAND} --build ${WORK_DIR}/build -j2)
run_step(${WORK_DIR}/build/consumer ${WORK_DIR}/logs)
file(GLOB_RECURSE event_files ${WORK_DIR}/logs/*tfevents*)
if(NOT event_files)
  message(FATAL_ERROR "the consumer wrote no event file under ${WORK_DIR}/logs")
endif()
message(STATUS "consumer (${MODE}) wrote: ${event_files}")
