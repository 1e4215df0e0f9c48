# Assembles one remote PowerShell script into the single self-contained text that is sent to a host.
#
#   cmake -DSOURCE=<script.ps1> -DINCLUDE_DIR=<folder> -DOUTPUT=<assembled.ps1>
#         -P cmake/AssembleRemoteScript.cmake
#
# Every line of SOURCE that reads exactly `#AETHERV-INCLUDE <file name>` (from column 0, nothing
# after the name) is replaced by the content of INCLUDE_DIR/<file name>. Everything else is copied
# unchanged, except that CR LF line ends come out as LF (file(READ) drops the CR; PowerShell reads
# both alike). It is an error when an included file is missing, starts with a byte order mark or
# itself contains the marker (no nesting), and when the marker text appears anywhere other than as
# such a line (a misspelt or indented marker would otherwise be shipped unexpanded). OUTPUT is only
# rewritten when its content changes, so an unchanged script does not recompile the resources.
cmake_minimum_required(VERSION 3.25)

set(_marker "#AETHERV-INCLUDE")

foreach(_var SOURCE INCLUDE_DIR OUTPUT)
    if(NOT DEFINED ${_var} OR "${${_var}}" STREQUAL "")
        message(FATAL_ERROR "AssembleRemoteScript: pass -D${_var}=... (before -P)")
    endif()
endforeach()
if(NOT EXISTS "${SOURCE}")
    message(FATAL_ERROR "AssembleRemoteScript: source script ${SOURCE} does not exist")
endif()

file(READ "${SOURCE}" _source)
# A leading newline lets every marker, the first line included, be found as "\n#AETHERV-INCLUDE ".
set(_rest "\n${_source}")
set(_assembled "")
set(_count 0)
while(TRUE)
    string(FIND "${_rest}" "\n${_marker} " _at)
    if(_at EQUAL -1)
        break()
    endif()
    math(EXPR _line_start "${_at} + 1")
    string(SUBSTRING "${_rest}" 0 ${_line_start} _before)
    string(APPEND _assembled "${_before}")
    string(SUBSTRING "${_rest}" ${_line_start} -1 _rest)
    # The marker line runs up to the next LF (kept) or to the end of the file.
    string(FIND "${_rest}" "\n" _eol)
    if(_eol EQUAL -1)
        set(_line "${_rest}")
        set(_rest "")
    else()
        string(SUBSTRING "${_rest}" 0 ${_eol} _line)
        string(SUBSTRING "${_rest}" ${_eol} -1 _rest)
    endif()
    string(REGEX REPLACE "\r$" "" _line "${_line}")
    string(LENGTH "${_marker} " _prefix_length)
    string(SUBSTRING "${_line}" ${_prefix_length} -1 _name)
    if(NOT _name MATCHES "^[A-Za-z0-9][A-Za-z0-9._-]*\\.ps1$")
        message(FATAL_ERROR "AssembleRemoteScript: ${SOURCE}: malformed include line '${_line}' "
                            "(expected '${_marker} <Name>.ps1', a file in ${INCLUDE_DIR})")
    endif()
    set(_include_path "${INCLUDE_DIR}/${_name}")
    if(NOT EXISTS "${_include_path}")
        message(FATAL_ERROR "AssembleRemoteScript: ${SOURCE} includes unknown file '${_name}': "
                            "${_include_path} does not exist")
    endif()
    file(READ "${_include_path}" _bom LIMIT 3 HEX)
    if(_bom STREQUAL "efbbbf")
        message(FATAL_ERROR "AssembleRemoteScript: ${_include_path} starts with a UTF-8 byte order "
                            "mark; save it without one (it is spliced into the middle of a script)")
    endif()
    file(READ "${_include_path}" _include)
    string(FIND "${_include}" "${_marker}" _nested)
    if(NOT _nested EQUAL -1)
        message(FATAL_ERROR "AssembleRemoteScript: ${_include_path} contains '${_marker}'; "
                            "included files must not include other files")
    endif()
    # The include replaces the marker line; the marker's own line end follows it.
    string(REGEX REPLACE "\r?\n$" "" _include "${_include}")
    string(APPEND _assembled "${_include}")
    math(EXPR _count "${_count} + 1")
endwhile()
string(APPEND _assembled "${_rest}")

# Any marker text left over was not a well-formed marker line (indented, no space, mid-line).
string(FIND "${_assembled}" "${_marker}" _stray)
if(NOT _stray EQUAL -1)
    message(FATAL_ERROR "AssembleRemoteScript: ${SOURCE} mentions '${_marker}' outside a marker line "
                        "(a marker must start in column 0 and read '${_marker} <Name>.ps1')")
endif()
# Drop the leading newline added above.
string(SUBSTRING "${_assembled}" 1 -1 _assembled)

if(EXISTS "${OUTPUT}")
    file(READ "${OUTPUT}" _previous)
    if(_previous STREQUAL _assembled)
        return()
    endif()
endif()
file(WRITE "${OUTPUT}" "${_assembled}")
