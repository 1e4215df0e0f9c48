# aetherv_autogen_follows_sources(<target> <sources...>)
# CMake 3.25's Ninja AUTOMOC keeps its dependencies in a depfile, so a Q_OBJECT header that joins a
# GLOB'ed target is not moc'ed until something else changes ("undefined reference to vtable").
# When the configure step sees a different source list than last time, it drops the autogen
# timestamp, which makes the next build rerun AUTOMOC.
function(aetherv_autogen_follows_sources target)
    set(_list ${ARGN})
    list(SORT _list)
    string(REPLACE ";" "\n" _text "${_list}")
    set(_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_sources.txt)
    set(_old "")
    if(EXISTS ${_file})
        file(READ ${_file} _old)
    endif()
    if(NOT _old STREQUAL "${_text}\n")
        file(WRITE ${_file} "${_text}\n")
        file(REMOVE ${CMAKE_CURRENT_BINARY_DIR}/${target}_autogen/timestamp)
    endif()
endfunction()
