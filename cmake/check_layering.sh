#!/usr/bin/env bash
# check_layering.sh SOURCE_DIR: core/ must never include a Widgets header (DESIGN.md), nor read
# QSettings or the keychain (it takes a Profile and Credentials).
set -euo pipefail
cd "$1"
fail=0
if hits=$(grep -rnE '#include *[<"](QtWidgets|QWidget|QMainWindow|QDialog|QApplication|QAbstractButton|QStyle|QMessageBox|QTableView)' core); then
    echo "core/ includes Widgets headers:" >&2; echo "$hits" >&2; fail=1
fi
if hits=$(grep -rnE '#include *[<"](QSettings|qt6keychain|keychain\.h)' core); then
    echo "core/ reads settings or the keychain directly:" >&2; echo "$hits" >&2; fail=1
fi
if grep -qE 'Qt6?::Widgets|Qt6Keychain' core/CMakeLists.txt; then
    echo "core/CMakeLists.txt links Widgets or QtKeychain" >&2; fail=1
fi
[ $fail -eq 0 ] && echo "core/ layering holds"
exit $fail
