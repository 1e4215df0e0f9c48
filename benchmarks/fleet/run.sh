#!/usr/bin/env bash
# Fleet benchmark (not part of ctest): aetherv-hostsim with 50, 100 and 200 cold hosts running
# real PowerShell; a bundle of the real scripts with one ISO replaced by 16 MiB of random data;
# `aetherv-deploy deploy` (the console's engine) at concurrency 32. Per fleet size: wall time, the
# CLI's peak RSS and CPU (user+sys, /usr/bin/time), CPU per host, the simulator's peak memory
# (hostsim and its pwsh workers), failures. In the same run, the floor: the same bytes fetched by
# plain parallel `curl | sha256sum` at the same concurrency from `aetherv-deploy serve`, and the
# check of the current fleet against a pywinrm script with 6 threads (Get-Content of the version
# file). With --gui the console window (offscreen) runs the largest rollout and reports its
# event-loop stalls.
#   benchmarks/fleet/run.sh [--sizes 50,100,200] [--concurrency 32] [--iso-mib 16] [--workers 2]
#                           [--auth ntlm|negotiate] [--gui | --gui-only] [--gui-shared] [--no-build]
# --auth defaults to ntlm, what pywinrm uses. With negotiate every new connection first tries
# Kerberos for the user's realm (LAB), and where DNS does not answer for that realm's KDC (this
# sandbox) each try waits for the resolver's 5 s timeout; the check section measures both.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${AETHERV_BUILD_DIR:-$top/build}
sizes=50,100,200 conc=32 iso_mib=16 workers=2 gui=0 gui_only=0 gui_shared=0 dobuild=1 auth=ntlm
while [ $# -gt 0 ]; do
    case $1 in
        --sizes) sizes=$2; shift 2 ;;
        --concurrency) conc=$2; shift 2 ;;
        --iso-mib) iso_mib=$2; shift 2 ;;
        --workers) workers=$2; shift 2 ;;
        --auth) auth=$2; shift 2 ;;
        --gui) gui=1; shift ;;
        --gui-only) gui=1 gui_only=1; shift ;;
        --gui-shared) gui_shared=1; shift ;;
        --no-build) dobuild=0; shift ;;
        *) echo "usage: $0 [--sizes 50,100,200] [--concurrency 32] [--iso-mib 16] [--workers 2] [--auth ntlm|negotiate] [--gui | --gui-only] [--gui-shared] [--no-build]" >&2; exit 2 ;;
    esac
done
if [ "$dobuild" = 1 ]; then
    "$top/scripts/setup.sh" >/dev/null
    flock /tmp/aetherv-build.lock env AETHERV_JOBS=2 "$top/scripts/build.sh" >/dev/null
fi
deploy=$build/app/cli/aetherv-deploy
hostsim=$build/tests/hostsim/aetherv-hostsim
guibench=$build/tests/fleet/aetherv-fleet-guibench
export OPENSSL_CONF_LEGACY=$top/tests/hostsim_conformance/openssl-legacy.cnf

work=$(mktemp -d)
chmod 0755 "$work"
sim_pid="" serve_pid="" sampler_pid=""
stop_sim() {
    [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null && { wait "$sampler_pid" 2>/dev/null || true; }
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && { wait "$sim_pid" 2>/dev/null || true; }
    sim_pid="" sampler_pid=""
    return 0
}
cleanup() {
    stop_sim
    [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# --- the bundle: the real scripts, one ISO replaced by random data ---
cp -r "$build/agent-bundle" "$work/bundle"
iso=$(cd "$work/bundle" && ls -S -- *.iso | head -1)
head -c "$((iso_mib * 1024 * 1024))" /dev/urandom > "$work/bundle/$iso"
bundle_bytes=$(du -cb "$work/bundle"/* | tail -1 | cut -f1)
bundle_files=$(ls "$work/bundle" | wc -l)
version=$(tr -d '\r\n' < "$work/bundle/version")
( umask 077; printf 'Fleet-Bench-Pa55' > "$work/password"; echo 'LAB:operator:Fleet-Bench-Pa55' > "$work/users" )
export AETHERV_WINRM_PASSWORD_FILE=$work/password

# --- the floor's server: aetherv-deploy serve with the same bundle ---
"$deploy" serve --bundle "$work/bundle" --port 0 > "$work/serve.out" 2> "$work/serve.err" &
serve_pid=$!
for _ in $(seq 1 600); do grep -q '"ready"' "$work/serve.out" && break; sleep 0.1; done
grep -q '"ready"' "$work/serve.out" || { cat "$work/serve.err" >&2; echo "serve did not get ready" >&2; exit 1; }
serve_url=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$work/serve.out")
curl -sf "$serve_url/manifest.json" | /usr/bin/python3 -c 'import json,sys; [print(f["name"], f["sha256"]) for f in json.load(sys.stdin)["files"]]' > "$work/files"

# Plain parallel curl | sha256sum: every file of the bundle, once per host, $conc at a time.
floor() {
    local n=$1 t0 t1
    cat > "$work/fetch.sh" <<SH
#!/usr/bin/env bash
while read -r name sha; do
    got=\$(curl -sf "$serve_url/\$name" | sha256sum | cut -d' ' -f1)
    [ "\$got" = "\$sha" ] || echo "host \$1: \$name mismatch"
done < "$work/files"
SH
    chmod +x "$work/fetch.sh"
    t0=$(date +%s.%N)
    seq 1 "$n" | xargs -P "$conc" -n 1 "$work/fetch.sh" > "$work/floor.err"
    t1=$(date +%s.%N)
    floor_fail=$(wc -l < "$work/floor.err")
    floor_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')
}

# Peak RSS of the simulator and all its descendants, sampled every 200 ms.
tree_rss_kb() {
    ps -e -o pid=,ppid=,rss= | awk -v root="$1" '{p[$1]=$2; r[$1]=$3}
        END{for (x in p) {y=x; while (y!=root && y in p && y!=1 && y!=0) y=p[y]; if (y==root) t+=r[x]} print t+0}'
}
# CPU seconds (user+sys, with reaped children) of a process and all its descendants.
tree_cpu_s() {
    /usr/bin/python3 - "$1" <<'PY'
import os, sys
root, tck = int(sys.argv[1]), os.sysconf("SC_CLK_TCK")
parent, cpu = {}, {}
for d in os.listdir("/proc"):
    if d.isdigit():
        try:
            f = open(f"/proc/{d}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(d)] = int(f[1]); cpu[int(d)] = sum(int(x) for x in f[11:15])
def under(p):
    while p in parent and p > 1:
        if p == root: return True
        p = parent[p]
    return False
print("%.2f" % (sum(c for p, c in cpu.items() if under(p)) / tck))
PY
}
sampler() {
    local peak=0 v
    while :; do
        v=$(tree_rss_kb "$1"); [ "$v" -gt "$peak" ] && peak=$v && echo "$peak" > "$2"
        sleep 0.2
    done
}

start_sim() {
    local n=$1
    rm -rf "$work/hosts"
    "$hostsim" --hosts "$n" --root "$work/hosts" --users "$work/users" --workers "$workers" \
        --max-shells-per-user 1000 > "$work/sim.out" 2> "$work/sim.$n.err" &
    sim_pid=$!
    for _ in $(seq 1 3000); do grep -q '"ready"' "$work/sim.out" 2>/dev/null && break; sleep 0.1; done
    grep -q '"ready"' "$work/sim.out" || { tail -20 "$work/sim.$n.err" >&2; echo "the simulator did not start (exit status: $(kill -0 "$sim_pid" 2>/dev/null && echo running || echo exited))" >&2; exit 1; }
    sim_idle_kb=$(tree_rss_kb "$sim_pid")
    echo 0 > "$work/sim.peak"
    sampler "$sim_pid" "$work/sim.peak" & sampler_pid=$!
    /usr/bin/python3 - "$work" "$conc" "$auth" <<'PY'
import json, os, socket, sys
work, conc, auth = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ready = json.loads(open(os.path.join(work, "sim.out")).readline())
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
ports = [int(h["url"].rsplit(":", 1)[1].split("/")[0]) for h in ready["hosts"]]
def profile(c, a):
    return {
        "schemaVersion": 2, "id": "fleet-bench", "name": "Fleet benchmark", "environment": "test",
        "hosts": [{"address": "127.0.0.1", "port": p} for p in ports],
        "installDirectory": "C:\\Program Files\\Aether-V", "bundleDirectory": os.path.join(work, "bundle"),
        "downloadMaxAttempts": 3, "downloadRetryIntervalSeconds": 2,
        "winrm": {"transport": "http", "auth": a, "userName": "LAB\\operator"},
        "artifactServer": {"listenAddress": "127.0.0.1", "port": port},
        "ingressGate": {"timeoutSeconds": 60, "intervalSeconds": 1},
        # Checks and rollouts both run in the Deployment category.
        "taskRunner": {"deploymentConcurrency": c, "inventoryConcurrency": c,
                       "deployDeadlineSeconds": 3600, "checkDeadlineSeconds": 600},
    }
json.dump(profile(conc, auth), open(os.path.join(work, "profile.json"), "w"), indent=2)
json.dump(profile(6, "ntlm"), open(os.path.join(work, "profile6.json"), "w"), indent=2)
json.dump(profile(6, "negotiate"), open(os.path.join(work, "profile6n.json"), "w"), indent=2)
with open(os.path.join(work, "urls"), "w") as f:
    for h in ready["hosts"]:
        f.write(h["url"] + "\n")
PY
}

# Runs the CLI under /usr/bin/time: sets t_wall t_cpu t_rss_kb.
timed_cli() {
    local out=$1; shift
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$deploy" "$@" --json > "$out" 2> "$out.err" || true
    read -r t_wall t_user t_sys t_rss_kb < <(tail -1 "$work/time")
    t_cpu=$(awk -v u="$t_user" -v s="$t_sys" 'BEGIN{printf "%.2f", u+s}')
}
count_final() { # file state -> number of final host events in that state
    /usr/bin/python3 -c 'import json,sys
n=0
for l in open(sys.argv[1]):
    try: o=json.loads(l)
    except ValueError: continue
    if o.get("event")=="host" and o.get("final") and (o.get("state")==sys.argv[2])!=(sys.argv[3]=="not"): n+=1
print(n)' "$1" "$2" "${3:-is}"
}

printf 'machine: %s cores, %s; load before: %s\n' "$(nproc)" "$(awk '/MemTotal/{printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'bundle: %d files, %.1f MiB (version %s; %s = %d MiB random); concurrency %d; simulator workers %d\n' \
    "$bundle_files" "$(awk -v b="$bundle_bytes" 'BEGIN{print b/1048576}')" "$version" "$iso" "$iso_mib" "$conc" "$workers"
printf 'WinRM auth %s; the simulator (hostsim + pwsh workers) shares the same cores\n' "$auth"
[ "$gui_only" = 1 ] || printf '\n%6s %9s %9s %7s %10s %10s %9s %10s %12s %12s %6s\n' hosts "wall s" "floor s" "ratio" "cli RSS MB" "cli CPU s" "ms/host" "sim CPU s" "sim idle MB" "sim peak MB" fails
largest=${sizes##*,}
for n in ${sizes//,/ }; do
    [ "$gui_only" = 1 ] && break
    start_sim "$n"
    floor "$n"
    sim_cpu0=$(tree_cpu_s "$sim_pid")
    timed_cli "$work/deploy.$n" deploy --profile-file "$work/profile.json"
    sim_cpu=$(awk -v a="$sim_cpu0" -v b="$(tree_cpu_s "$sim_pid")" 'BEGIN{printf "%.1f", b-a}')
    fails=$(count_final "$work/deploy.$n" current not)
    current=$(count_final "$work/deploy.$n" current)
    [ "$((current + fails))" = "$n" ] || fails="$fails(+$((n - current - fails)) missing)"
    sim_peak_kb=$(cat "$work/sim.peak")
    printf '%6d %9.1f %9.1f %7.2f %10.1f %10.2f %9.1f %10s %12.0f %12.0f %6s\n' "$n" "$t_wall" "$floor_s" \
        "$(awk -v a="$t_wall" -v b="$floor_s" 'BEGIN{print a/b}')" "$(awk -v k="$t_rss_kb" 'BEGIN{print k/1024}')" \
        "$t_cpu" "$(awk -v c="$t_cpu" -v n="$n" 'BEGIN{print c*1000/n}')" "$sim_cpu" \
        "$(awk -v k="$sim_idle_kb" 'BEGIN{print k/1024}')" "$(awk -v k="$sim_peak_kb" 'BEGIN{print k/1024}')" "$fails"
    [ "$floor_fail" = 0 ] || { echo "floor: $floor_fail mismatched downloads" >&2; head "$work/floor.err" >&2; }
    if [ "$fails" != 0 ]; then
        grep '"final":true' "$work/deploy.$n" | grep -v '"state":"current"' | head -3 >&2
    fi
    if [ "$n" = "$largest" ]; then
        # --- checking the current fleet: aetherv-deploy check vs pywinrm, 6 threads each ---
        c0=$(tree_cpu_s "$sim_pid")
        timed_cli "$work/check6" check --profile-file "$work/profile6.json"
        ours6_wall=$t_wall ours6_cpu=$t_cpu ours6_ok=$(count_final "$work/check6" current)
        c1=$(tree_cpu_s "$sim_pid")
        timed_cli "$work/check6n" check --profile-file "$work/profile6n.json"
        ours6n_wall=$t_wall ours6n_cpu=$t_cpu ours6n_ok=$(count_final "$work/check6n" current)
        c2=$(tree_cpu_s "$sim_pid")
        /usr/bin/time -f '%e %U %S %M' -o "$work/time" env OPENSSL_CONF="$OPENSSL_CONF_LEGACY" /usr/bin/python3 \
            "$top/benchmarks/fleet/pywinrm_check.py" "$work/urls" 'LAB\operator' "$version" 6 > "$work/py.out" 2> "$work/py.err" || true
        read -r py_wall py_user py_sys _ < <(tail -1 "$work/time")
        c3=$(tree_cpu_s "$sim_pid")
        py_ok=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["current"])' "$work/py.out" 2>/dev/null || echo "?")
        printf '\ncheck of %d current hosts (one version read each):\n' "$n"
        row() { printf '  %-40s %7.1f s wall %7.2f s client CPU %7.1f s simulator CPU  %s/%d current\n' "$@"; }
        row "aetherv-deploy check, 6 parallel, ntlm" "$ours6_wall" "$ours6_cpu" "$(awk -v a="$c0" -v b="$c1" 'BEGIN{print b-a}')" "$ours6_ok" "$n"
        row "same, negotiate (Kerberos tried first)" "$ours6n_wall" "$ours6n_cpu" "$(awk -v a="$c1" -v b="$c2" 'BEGIN{print b-a}')" "$ours6n_ok" "$n"
        row "pywinrm, 6 threads, ntlm" "$py_wall" "$(awk -v u="$py_user" -v s="$py_sys" 'BEGIN{print u+s}')" "$(awk -v a="$c2" -v b="$c3" 'BEGIN{print b-a}')" "$py_ok" "$n"
        awk -v a="$ours6_wall" -v b="$ours6n_wall" -v p="$py_wall" 'BEGIN{printf "  wall ratio aetherv/pywinrm: %.2f (ntlm, like pywinrm), %.2f (negotiate)\n", a/p, b/p}'
        [ "$py_ok" = "$n" ] || tail -3 "$work/py.err" >&2
    fi
    stop_sim
done
[ "$gui_only" = 1 ] || echo "targets at $largest hosts: wall <= 1.5x floor, CLI RSS <= 300 MB, CLI CPU <= 50 ms/host, 0 failures"
if [ "$gui" = 1 ]; then
    rm -rf "$work/hosts"
    printf '\nconsole window (offscreen), %d cold hosts, concurrency %d:\n' "$largest" "$conc"
    # The simulated hosts stand for remote machines with their own CPUs: unless --gui-shared, the
    # console (and the control probe) run on CPU 0 and the simulator with its pwsh workers on the
    # other CPUs, so the stalls measured are the console's and not the simulator's PowerShell
    # competing for the console's core. With one CPU there is nothing to separate.
    console_pin=() sim_cmd=$hostsim
    if [ "$gui_shared" = 0 ] && [ "$(nproc)" -ge 2 ]; then
        console_pin=(taskset -c 0)
        printf '#!/bin/sh\nexec taskset -c 1-%d "%s" "$@"\n' "$(($(nproc) - 1))" "$hostsim" > "$work/hostsim-pinned"
        chmod +x "$work/hostsim-pinned"
        sim_cmd=$work/hostsim-pinned
        printf '  console and control on CPU 0, simulator on CPUs 1-%d (--gui-shared: all share every CPU)\n' "$(($(nproc) - 1))"
    else
        printf '  console, control and simulator share every CPU\n'
    fi
    "${console_pin[@]}" /usr/bin/python3 "$top/benchmarks/fleet/schedprobe.py" > "$work/probe.out" &
    probe_pid=$!
    AETHERV_BUILD_DIR=$build AETHERV_HOSTSIM=$sim_cmd "${console_pin[@]}" "$guibench" --hosts "$largest" \
        --concurrency "$conc" --bundle "$work/bundle" \
        --root "$work/hosts" --workers "$workers" --auth "$auth" 2> "$work/guibench.err" || tail -5 "$work/guibench.err" >&2
    kill -TERM "$probe_pid"; wait "$probe_pid" || true
    cat "$work/probe.out"
fi
