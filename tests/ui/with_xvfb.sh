#!/usr/bin/env bash
# with_xvfb.sh TEST [ARGS...]: runs a widget test on a private Xvfb display (xcb platform), so
# screenshots show real fonts, styles and window sizes. Needs xvfb and xauth (scripts/setup.sh).
set -euo pipefail
command -v xvfb-run >/dev/null || { echo "xvfb-run missing: run scripts/setup.sh" >&2; exit 1; }
export QT_QPA_PLATFORM=xcb
exec xvfb-run -a -s "-screen 0 1600x1000x24 -nolisten tcp" "$@"
