#!/usr/bin/env bash
# Rollout through an external web server: `aetherv-deploy publish --to DIR` writes the bundle as a
# static tree, Debian's nginx serves it on loopback, the profile's downloadBaseUrl points there
# and three simulated hosts (aetherv-hostsim, real PowerShell) install from nginx. Each host's
# files must equal the bundle, and nginx's access log must show the hosts' downloads.
# Then an OLD bundle is published into the same folder (a stale external copy): the ingress gate
# must block the next rollout with a message naming the manifest URL and the digest mismatch,
# and no host's C: may change.
#   publish_nginx.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd) src=$2
deploy=$build/app/cli/aetherv-deploy
hostsim=$build/tests/hostsim/aetherv-hostsim
bundle=$build/agent-bundle
nginx=$(command -v nginx || echo /usr/sbin/nginx)
for f in "$deploy" "$hostsim" "$bundle/version" "$nginx"; do
    [ -e "$f" ] || { echo "missing $f" >&2; exit 1; }
done

work=$(mktemp -d)
chmod 0755 "$work"
sim_pid="" nginx_pid=""
cleanup() {
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Five cold hosts: HV01-HV03 take the rollout through nginx, HV04-HV05 the blocked one.
( umask 077; printf 'Fleet-Passw0rd' > "$work/password"; echo 'LAB:operator:Fleet-Passw0rd' > "$work/users" )
"$hostsim" --hosts 5 --root "$work/hosts" --users "$work/users" --workers 2 \
    > "$work/sim.out" 2> "$work/sim.err" &
sim_pid=$!
for _ in $(seq 1 600); do grep -q '"ready"' "$work/sim.out" 2>/dev/null && break; sleep 0.1; done
grep -q '"ready"' "$work/sim.out" || { cat "$work/sim.err" >&2; fail "the simulator did not start"; }

# Publish the bundle and serve it with nginx (daemon off, temp config, access log on).
mkdir -p "$work/www" "$work/nginx/logs" "$work/nginx/tmp"
"$deploy" publish --bundle "$bundle" --to "$work/www/agent" > "$work/publish.out"
[ -f "$work/www/agent/manifest.json" ] || fail "publish wrote no manifest.json"
digest=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["digest"])' "$work/www/agent/manifest.json")
nport=$(/usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
cat > "$work/nginx/nginx.conf" <<NGX
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 256; }
http {
    access_log $work/nginx/logs/access.log;
    sendfile on;
    client_body_temp_path $work/nginx/tmp;
    proxy_temp_path $work/nginx/tmp;
    fastcgi_temp_path $work/nginx/tmp;
    uwsgi_temp_path $work/nginx/tmp;
    scgi_temp_path $work/nginx/tmp;
    types { application/json json; application/octet-stream iso; }
    default_type application/octet-stream;
    server { listen 127.0.0.1:$nport; root $work/www; }
}
NGX
"$nginx" -c "$work/nginx/nginx.conf" -p "$work/nginx" 2> "$work/nginx/stderr" &
nginx_pid=$!
base="http://127.0.0.1:$nport/agent"
for _ in $(seq 1 100); do curl -sf -o /dev/null "$base/manifest.json" && break; sleep 0.1; done
curl -sf -o /dev/null "$base/manifest.json" || { cat "$work/nginx/stderr" >&2; fail "nginx does not serve $base/manifest.json"; }

/usr/bin/python3 - "$work" "$base" <<'PY'
import json, os, socket, sys
work, base = sys.argv[1], sys.argv[2]
ready = json.loads(open(os.path.join(work, "sim.out")).readline())
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
ports = [int(h["url"].rsplit(":", 1)[1].split("/")[0]) for h in ready["hosts"]]
profile = {
    "schemaVersion": 2, "id": "fleet-nginx", "name": "nginx ingress", "environment": "test",
    "hosts": [{"address": "127.0.0.1", "port": p} for p in ports],
    "installDirectory": "C:\\Program Files\\Aether-V",
    "downloadBaseUrl": base,
    "downloadMaxAttempts": 2, "downloadRetryIntervalSeconds": 1,
    "winrm": {"transport": "http", "auth": "negotiate", "userName": "LAB\\operator"},
    "artifactServer": {"listenAddress": "127.0.0.1", "port": port},
    "ingressGate": {"timeoutSeconds": 4, "intervalSeconds": 1},
}
json.dump(profile, open(os.path.join(work, "profile.json"), "w"), indent=2)
with open(os.path.join(work, "ports"), "w") as f:
    for name, p in zip([h["name"] for h in ready["hosts"]], ports):
        f.write(f"{name} 127.0.0.1:{p}\n")
PY
hostaddr() { awk -v n="$1" '$1==n{print $2}' "$work/ports"; }
export AETHERV_WINRM_PASSWORD_FILE="$work/password"

# --- 1. rollout to HV01-HV03 through nginx ---
rc=0
"$deploy" deploy --profile-file "$work/profile.json" \
    --hosts "$(hostaddr HV01),$(hostaddr HV02),$(hostaddr HV03)" > "$work/deploy1.out" 2>&1 || rc=$?
cat "$work/deploy1.out"
[ "$rc" = 0 ] || fail "the rollout through nginx exited $rc"
for h in HV01 HV02 HV03; do
    inst="$work/hosts/$h/C/Program Files/Aether-V"
    for f in "$bundle"/*; do
        n=$(basename "$f")
        [ -f "$inst/$n" ] || fail "$h has no $n"
        cmp -s "$f" "$inst/$n" || fail "$h: $n differs from the bundle"
    done
    # Besides the bundle's files the install holds only the deployed manifest, of this bundle.
    extra=$(cd "$inst" && for f in *; do [ -e "$bundle/$f" ] || echo "$f"; done)
    [ "$extra" = manifest.json ] || fail "$h: the install has other files than the bundle and manifest.json: $extra"
    grep -q "\"digest\": *\"$digest\"" "$inst/manifest.json" || fail "$h: manifest.json is not the bundle's ($digest)"
done
# The hosts downloaded every file from nginx, not from the console.
for f in "$bundle"/*; do
    n=$(basename "$f")
    hits=$(grep -c "\"GET /agent/$n HTTP/1.1\" 200 " "$work/nginx/logs/access.log" || true)
    [ "$hits" -ge 3 ] || fail "nginx served $n $hits times, expected at least 3 (one per host)"
done
echo "ok: 3 hosts installed the bundle from $base"

# --- 2. a stale external copy blocks the rollout ---
cp -r "$bundle" "$work/old-bundle"
printf '0.0.1\r\n' > "$work/old-bundle/version"
"$deploy" publish --bundle "$work/old-bundle" --to "$work/www/agent" > "$work/publish-old.out"
# Every file and folder of every host's C:, files with size, time and content hash. The logon of the
# check creates the user's profile folder (C:\Users\operator), as on Windows; that is not the
# rollout's doing and is left out.
snapshot() {
    (cd "$work/hosts" && find . -path '*/C/Users/operator' -prune -o -printf '%y %p %s\n' | sort \
        && find . -path '*/C/Users/operator' -prune -o -type f -printf '%p %T@\n' | sort \
        && find . -path '*/C/Users/operator' -prune -o -type f -print0 | sort -z | xargs -0 sha256sum)
}
snapshot > "$work/before"
: > "$work/nginx/logs/access.log.mark"; lines_before=$(wc -l < "$work/nginx/logs/access.log")
rc=0
"$deploy" deploy --profile-file "$work/profile.json" --force > "$work/deploy2.out" 2>&1 || rc=$?
cat "$work/deploy2.out"
[ "$rc" != 0 ] || fail "the rollout against a stale external copy succeeded"
grep -q "$base/manifest.json" "$work/deploy2.out" || fail "the message does not name $base/manifest.json"
grep -q "different bundle" "$work/deploy2.out" || fail "the message does not say the URL serves a different bundle"
grep -q "0.0.1 with digest" "$work/deploy2.out" || fail "the message does not name the stale copy's version and digest"
grep -q "serves the wrong bundle" "$work/deploy2.out" || fail "the message does not open with what is wrong (the wrong bundle)"
! grep -q "unreachable" "$work/deploy2.out" || fail "the hosts and the URL answered, yet something is called unreachable"
snapshot > "$work/after"
diff -u "$work/before" "$work/after" || fail "a host's C: changed although the rollout was blocked"
# No host asked nginx for a bundle file: only the gate read manifest.json.
if tail -n +"$((lines_before + 1))" "$work/nginx/logs/access.log" | grep -v 'GET /agent/manifest.json ' | grep -q .; then
    fail "something other than the gate fetched from nginx: $(tail -n +"$((lines_before + 1))" "$work/nginx/logs/access.log" | grep -v manifest.json | head -3)"
fi
echo "ok: the stale copy at $base blocked the rollout; no host touched"
