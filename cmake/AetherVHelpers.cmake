# aetherv_add_test(NAME <name> SOURCES <files...> [LIBS <targets...>] [LABELS <labels...>]
#                  [ENV <VAR=value...>] [TIMEOUT <seconds>] [RUN_SERIAL])
# Builds one Qt Test executable and registers it with ctest. Every test runs offscreen, with
# its own temporary HOME so that parallel tests never share settings or keyrings.
function(aetherv_add_test)
    cmake_parse_arguments(T "RUN_SERIAL" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS;ENV" ${ARGN})
    if(NOT T_NAME OR NOT T_SOURCES)
        message(FATAL_ERROR "aetherv_add_test needs NAME and SOURCES")
    endif()
    qt_add_executable(${T_NAME} ${T_SOURCES})
    target_link_libraries(${T_NAME} PRIVATE aetherv_options Qt6::Test ${T_LIBS})
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 300)
    endif()
    set_tests_properties(${T_NAME} PROPERTIES
        TIMEOUT ${T_TIMEOUT}
        LABELS "${T_LABELS}"
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;AETHERV_SOURCE_DIR=${PROJECT_SOURCE_DIR};AETHERV_BUILD_DIR=${PROJECT_BINARY_DIR};${T_ENV}")
    if(T_RUN_SERIAL)
        set_tests_properties(${T_NAME} PROPERTIES RUN_SERIAL TRUE)
    endif()
endfunction()

# aetherv_add_subdirectories(): add every immediate subfolder that has a CMakeLists.txt, so that
# a new room (core/x, tests/x) takes part without editing a shared list.
function(aetherv_add_subdirectories)
    file(GLOB _children LIST_DIRECTORIES true CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*)
    list(SORT _children)
    foreach(_child IN LISTS _children)
        if(IS_DIRECTORY ${_child} AND EXISTS ${_child}/CMakeLists.txt)
            add_subdirectory(${_child})
        endif()
    endforeach()
endfunction()
