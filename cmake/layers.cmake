# The three floors and what each may include (docs/architecture.md, "Floors").
#
# scenarios/ (text -> AST), engine/ (runs the AST, records the trace) and viz/ (everything a
# person sees) include one another by rooted paths ("engine/trace.hpp"). The repository root
# would let any floor include any other, so no target gets it: each floor has an include root
# in the build tree that holds one link, named after the floor, to its source folder, and a
# target sees a floor's root only by linking that floor's library. The engine links the front
# end, so it sees scenarios/ and engine/ and cannot name a viz/ header; the front end sees
# scenarios/ only. An `#include "../` that climbs out of a folder is the one way around this,
# and tests/layers/check_includes.py refuses it.
#
# The OS fence: the front end and the engine (but not engine/platform, the one place the
# engine's stack switching meets the OS) also get a private directory whose POSIX headers
# stand in front of the system's and stop the compilation with an #error. It holds only
# headers that the standard library's own headers do not pull in (libstdc++ reaches
# <unistd.h>, <pthread.h> and <sys/types.h> through <memory>, so those are left to
# tests/layers/check_includes.py, which reads every #include of the engine and the front end).
# The host reads OS facts such as the stack limit and hands them in (RunOptions).

set(TASKLAB_INCLUDE_ROOTS "${PROJECT_BINARY_DIR}/include_roots")

# tasklab_include_root(<floor>): makes <build>/include_roots/<floor>/<floor> a link to the
# floor's source folder and sets TASKLAB_<FLOOR>_INCLUDE_ROOT to <build>/include_roots/<floor>.
function(tasklab_include_root floor)
  set(root "${TASKLAB_INCLUDE_ROOTS}/${floor}")
  file(MAKE_DIRECTORY "${root}")
  file(CREATE_LINK "${PROJECT_SOURCE_DIR}/${floor}" "${root}/${floor}" SYMBOLIC)
  string(TOUPPER "${floor}" upper)
  set(TASKLAB_${upper}_INCLUDE_ROOT "${root}" PARENT_SCOPE)
endfunction()

tasklab_include_root(scenarios)
tasklab_include_root(engine)
tasklab_include_root(viz)

set(TASKLAB_OS_FENCE "${TASKLAB_INCLUDE_ROOTS}/os_fence")
set(TASKLAB_FENCED_OS_HEADERS
  ucontext.h dlfcn.h fcntl.h signal.h poll.h termios.h dirent.h spawn.h semaphore.h execinfo.h netdb.h
  sys/mman.h sys/resource.h sys/stat.h sys/time.h sys/wait.h sys/socket.h sys/ioctl.h sys/utsname.h
  sys/sysinfo.h)
file(GLOB_RECURSE fenced RELATIVE "${TASKLAB_OS_FENCE}" "${TASKLAB_OS_FENCE}/*.h")
foreach(header IN LISTS fenced)  # a header taken off the list leaves the fence
  if(NOT header IN_LIST TASKLAB_FENCED_OS_HEADERS)
    file(REMOVE "${TASKLAB_OS_FENCE}/${header}")
  endif()
endforeach()
foreach(header IN LISTS TASKLAB_FENCED_OS_HEADERS)
  file(CONFIGURE OUTPUT "${TASKLAB_OS_FENCE}/${header}" CONTENT
    "// Stands in front of the system's <${header}> for the front end and the engine (cmake/layers.cmake).\n#error \"<${header}> is an OS header: scenarios/ and engine/ use the standard library only; the engine's stack switching lives in engine/platform, and OS facts come in through the host (docs/architecture.md)\"\n")
endforeach()
