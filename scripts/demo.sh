#!/usr/bin/env bash
# README command 1: installs what is missing, builds, and runs the main job on an embedded
# default. Today that is the artifact side of a rollout on loopback: the agent bundle is built,
# hashed and served, and every file is fetched back and checked against the manifest exactly as a
# host will do it. (The simulated-host rollout joins this script as those pieces land.)
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${AETHERV_BUILD_DIR:-$top/build}
"$top/scripts/setup.sh"
"$top/scripts/build.sh"
deploy="$build/app/cli/aetherv-deploy"
bundle="$build/agent-bundle"

work=$(mktemp -d)
cleanup() { [ -n "${serve_pid:-}" ] && kill "$serve_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

echo "== agent bundle: $bundle"
"$deploy" manifest --bundle "$bundle" > "$work/manifest.json"
"$deploy" serve --bundle "$bundle" --port 0 > "$work/serve.out" 2> "$work/serve.log" &
serve_pid=$!
for _ in $(seq 1 300); do grep -q '"ready"' "$work/serve.out" && break; sleep 0.1; done
grep -q '"ready"' "$work/serve.out" || { cat "$work/serve.log" >&2; exit 1; }
base=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$work/serve.out")
echo "== serving at $base"
curl -sf "${base%/agent}/readyz"
/usr/bin/python3 - "$base" "$work/manifest.json" <<'PY'
import hashlib, json, sys, urllib.parse, urllib.request
base, manifest_path = sys.argv[1], sys.argv[2]
local = json.load(open(manifest_path))
served = json.load(urllib.request.urlopen(base + "/manifest.json"))
assert served["digest"] == local["digest"], "server digest differs from the bundle"
print(f"== bundle {served['version']}, digest {served['digest'][:16]}…, {len(served['files'])} files")
for f in served["files"]:
    h = hashlib.sha256(); n = 0
    with urllib.request.urlopen(base + "/" + urllib.parse.quote(f["name"])) as r:
        for chunk in iter(lambda: r.read(1 << 20), b""):
            h.update(chunk); n += len(chunk)
    ok = n == f["size"] and h.hexdigest() == f["sha256"]
    print(f"   {'ok ' if ok else 'BAD'} {f['name']:<45} {n:>10} bytes  sha256 {h.hexdigest()[:16]}…")
    if not ok: sys.exit(1)
print("== every file matches the manifest")
PY
echo "== server metrics:"
curl -sf "${base%/agent}/metrics" | grep -v '^#' | sed 's/^/   /'
