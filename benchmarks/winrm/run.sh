#!/usr/bin/env bash
# WinRM client CPU benchmark (not part of ctest): starts one aetherv-hostsim host, then runs the
# same PowerShell command N times with Aether-V's client (aetherv-winrm-exec) and with pywinrm,
# both NTLM + message encryption over HTTP, a new session per run; prints both JSON lines and the
# ratio of client CPU (user+sys) per command.
#   benchmarks/winrm/run.sh [BUILD_DIR] [RUNS]
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-${AETHERV_BUILD_DIR:-$top/build}}
runs=${2:-50}
work=$(mktemp -d)
trap 'kill "${sim_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
export AETHERV_WINRM_PASSWORD='Bench-Pa55!'
echo "BENCH:bench:$AETHERV_WINRM_PASSWORD" > "$work/users"
"$build/tests/hostsim/aetherv-hostsim" --hosts 1 --base-port 0 --root "$work/root" \
    --users "$work/users" --workers 2 > "$work/sim.out" 2> "$work/sim.err" &
sim_pid=$!
for _ in $(seq 1 100); do grep -q '"ready"' "$work/sim.out" 2>/dev/null && break; sleep 0.2; done
url=$(grep -o 'http://[^"]*' "$work/sim.out")
command='"x"'
# Warm-up of the simulator's PowerShell workers, not measured.
"$build/tests/winrm/aetherv-winrm-exec" --url "$url" --user 'BENCH\bench' --auth ntlm \
    --command "$command" --count 3 --quiet 2>/dev/null || true
ours=$("$build/tests/winrm/aetherv-winrm-exec" --url "$url" --user 'BENCH\bench' --auth ntlm \
    --command "$command" --count "$runs" --quiet 2>&1 >/dev/null | tail -1)
theirs=$(OPENSSL_CONF="$top/tests/hostsim_conformance/openssl-legacy.cnf" /usr/bin/python3 \
    "$top/benchmarks/winrm/pywinrm_bench.py" "$url" 'BENCH\bench' "$runs" "$command" 2>&1 | tail -1)
echo "$ours"
echo "$theirs"
/usr/bin/python3 -c 'import json,sys; a=json.loads(sys.argv[1]); b=json.loads(sys.argv[2]); print("ratio aetherv/pywinrm cpu per command: %.3f" % (a["cpu_ms_per_run"]/b["cpu_ms_per_run"]))' "$ours" "$theirs"
