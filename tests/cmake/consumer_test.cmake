# Builds tests/consumer against hparams and runs it. Invoked by CTest as
#   cmake -DMODE=<mode> -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... [-DCXX=...] -P consumer_test.cmake
# Modes, one per way a user gets the library:
#   find_package       installs BUILD_DIR into a private prefix: the package exactly as a user gets it
#   add_subdirectory   vendors SOURCE_DIR
#   fetchcontent       FetchContent from a local git clone of SOURCE_DIR (its committed HEAD)
#   pkgconfig_static   installs BUILD_DIR, then one g++ command with `pkg-config --cflags --libs`
#   pkgconfig_shared   builds and installs a shared library (and the tool), then the same g++ command
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

if(MODE MATCHES "^pkgconfig_(static|shared)$")
  find_program(PKG_CONFIG pkg-config REQUIRED)
  set(prefix ${WORK_DIR}/prefix)
  if(MODE STREQUAL "pkgconfig_static")
    run_step(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
  else()
    run_step(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/lib ${generator_args} -DCMAKE_BUILD_TYPE=Release
             -DBUILD_SHARED_LIBS=ON -DHPARAMS_BUILD_TESTS=OFF -DHPARAMS_BUILD_EXAMPLES=OFF
             -DHPARAMS_BUILD_BENCHMARKS=OFF -DHPARAMS_BUILD_TOOLS=ON -DHPARAMS_INSTALL=ON)
    run_step(${CMAKE_COMMAND} --build ${WORK_DIR}/lib -j2)
    run_step(${CMAKE_COMMAND} --install ${WORK_DIR}/lib --prefix ${prefix})
    # The installed tool finds libhparams.so through its $ORIGIN RUNPATH.
    file(GLOB tool ${prefix}/bin/hparams)
    run_step(${tool} --version)
  endif()
  file(GLOB_RECURSE pc_file ${prefix}/*/hparams.pc)
  get_filename_component(pc_dir "${pc_file}" DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} ${pc_dir})
  execute_process(COMMAND ${PKG_CONFIG} --cflags --libs hparams RESULT_VARIABLE rc OUTPUT_VARIABLE flags
                  ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config --cflags --libs hparams failed:\n${err}")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  get_filename_component(libdir "${pc_dir}" DIRECTORY)
  # As a user would type it: g++ app.cc $(pkg-config --cflags --libs hparams)
  run_step(${CXX} -std=c++17 ${SOURCE_DIR}/tests/consumer/main.cc ${flags} -Wl,-rpath,${libdir}
           -o ${WORK_DIR}/consumer)
  run_step(${WORK_DIR}/consumer ${WORK_DIR}/logs)
elseif(MODE STREQUAL "fetchcontent")
  find_program(GIT git REQUIRED)
  run_step(${GIT} clone --quiet --no-hardlinks ${SOURCE_DIR} ${WORK_DIR}/clone)
  run_step(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${WORK_DIR}/build ${generator_args}
           -DHPARAMS_GIT_REPOSITORY=file://${WORK_DIR}/clone -DHPARAMS_CONSUMER_MODE=fetchcontent
           -DCMAKE_BUILD_TYPE=Release)
elseif(MODE STREQUAL "find_package")
  run_step(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix)
  run_step(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${WORK_DIR}/build ${generator_args}
           -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DHPARAMS_CONSUMER_MODE=find_package
           -DCMAKE_BUILD_TYPE=Release)
else()
  run_step(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${WORK_DIR}/build ${generator_args}
           -DHPARAMS_SOURCE_DIR=${SOURCE_DIR} -DHPARAMS_CONSUMER_MODE=add_subdirectory
           -DCMAKE_BUILD_TYPE=Release)
endif()
if(NOT MODE MATCHES "^pkgconfig_")
  run_step(${CMAKE_COMMAND} --build ${WORK_DIR}/build -j2)
  run_step(${WORK_DIR}/build/consumer ${WORK_DIR}/logs)
endif()
file(GLOB_RECURSE event_files ${WORK_DIR}/logs/*tfevents*)
if(NOT event_files)
  message(FATAL_ERROR "the consumer wrote no event file under ${WORK_DIR}/logs")
endif()
message(STATUS "consumer (${MODE}) wrote: ${event_files}")
