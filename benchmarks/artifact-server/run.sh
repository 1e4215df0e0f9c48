#!/usr/bin/env bash
# Artifact server benchmark: aetherv-deploy serve against Debian's nginx (sendfile on) in the same
# run, on loopback, downloading a sparse file (default 2 GiB) with 1 and with 8 parallel curls.
# Prints MB/s of both, the ratios, and the artifact server's peak RSS (VmHWM).
#   benchmarks/artifact-server/run.sh [--size-mib N] [--runs R] [--nginx-workers W]
# Not part of ctest: it takes about a minute and wants an otherwise idle machine.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
size_mib=2048 runs=5 nginx_workers=1
while [ $# -gt 0 ]; do
    case $1 in
        --size-mib) size_mib=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --nginx-workers) nginx_workers=$2; shift 2 ;;
        *) echo "usage: $0 [--size-mib N] [--runs R] [--nginx-workers W]" >&2; exit 2 ;;
    esac
done
"$top/scripts/setup.sh" >/dev/null
"$top/scripts/build.sh" >/dev/null
deploy=${AETHERV_BUILD_DIR:-$top/build}/app/cli/aetherv-deploy
nginx=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
chmod 0755 "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/bundle" "$work/nginx/agent" "$work/nginx/logs"
echo 1.0.0 > "$work/bundle/version"
truncate -s "${size_mib}M" "$work/bundle/bench.iso"
ln "$work/bundle/bench.iso" "$work/nginx/agent/bench.iso"
bytes=$((size_mib * 1024 * 1024))

free_port() { /usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# --- aetherv-deploy serve ---
"$deploy" serve --bundle "$work/bundle" --port 0 >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!; pids+=("$serve_pid")
for _ in $(seq 1 600); do grep -q '"ready"' "$work/serve.out" && break; sleep 0.1; done
grep -q '"ready"' "$work/serve.out" || { cat "$work/serve.err" >&2; echo "server did not get ready" >&2; exit 1; }
qt_url=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$work/serve.out")/bench.iso

# --- nginx, sendfile on ---
nport=$(free_port)
cat > "$work/nginx/nginx.conf" <<NGX
worker_processes $nginx_workers;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path $work/nginx/tmp;
    server { listen 127.0.0.1:$nport; root $work/nginx; }
}
NGX
"$nginx" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=("$!")
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$nport/agent/bench.iso" -r 0-0 && break; sleep 0.1; done
ng_url="http://127.0.0.1:$nport/agent/bench.iso"

# One download: MB/s. Parallel: aggregate MB/s over the wall time of all of them.
single() {
    local got
    got=$(curl -s -o /dev/null -w '%{size_download} %{speed_download}' "$1")
    [ "${got%% *}" = "$bytes" ] || { echo "short download from $1: $got" >&2; exit 1; }
    awk -v s="${got##* }" 'BEGIN{printf "%.0f", s/1e6}'
}
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

declare -A res
for server in qt nginx; do
    url=$qt_url; [ $server = nginx ] && url=$ng_url
    s1="" s8=""
    for _ in $(seq 1 "$runs"); do s1="$s1 $(single "$url")"; done
    for _ in $(seq 1 "$runs"); do
        t0=$(date +%s.%N)
        for i in 1 2 3 4 5 6 7 8; do curl -s -o /dev/null -w '%{size_download}' "$url" > "$work/p.$i" & cp_pids[$i]=$!; done
        for i in 1 2 3 4 5 6 7 8; do wait "${cp_pids[$i]}"; done
        t1=$(date +%s.%N)
        for i in 1 2 3 4 5 6 7 8; do [ "$(cat "$work/p.$i")" = "$bytes" ] || { echo "short parallel download from $server" >&2; exit 1; }; done
        s8="$s8 $(awk -v b="$bytes" -v a="$t0" -v z="$t1" 'BEGIN{printf "%.0f", 8*b/(z-a)/1e6}')"
    done
    res[$server.1]=$(echo "$s1" | median); res[$server.8]=$(echo "$s8" | median)
    res[$server.1.all]=$s1; res[$server.8.all]=$s8
done
rss_kb=$(awk '/VmHWM/{print $2}' "/proc/$serve_pid/status")

printf 'file: %d MiB sparse (page cache), %d runs each, medians; nginx %s, worker_processes %s, sendfile on\n' \
    "$size_mib" "$runs" "$("$nginx" -v 2>&1 | sed 's/.*\///')" "$nginx_workers"
printf '%-22s %12s %14s\n' server "1 x MB/s" "8 x MB/s (agg)"
printf '%-22s %12s %14s   runs: [%s] [%s]\n' "aetherv artifact srv" "${res[qt.1]}" "${res[qt.8]}" "${res[qt.1.all]# }" "${res[qt.8.all]# }"
printf '%-22s %12s %14s   runs: [%s] [%s]\n' "nginx" "${res[nginx.1]}" "${res[nginx.8]}" "${res[nginx.1.all]# }" "${res[nginx.8.all]# }"
awk -v a="${res[qt.1]}" -v b="${res[nginx.1]}" -v c="${res[qt.8]}" -v d="${res[nginx.8]}" \
    'BEGIN{printf "ratio vs nginx: 1 stream %.2f (target >= 0.90), 8 streams %.2f (target >= 0.80)\n", a/b, c/d}'
awk -v r="$rss_kb" 'BEGIN{printf "artifact server peak RSS: %.1f MB (target <= 64 MB)\n", r/1024}'
