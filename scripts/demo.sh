#!/usr/bin/env bash
# README command 1: installs what is missing, builds, and runs the main job on an embedded
# default — a demo rollout against 8 simulated Hyper-V hosts on loopback (aetherv-hostsim: real
# WinRM with NTLM and message encryption, real PowerShell 7, each host's C: a folder on disk).
# The hosts start in different states; the CLI checks them, deploys the bundle where needed and
# verifies the result on every host, then provisions a VM on one host with the deployed agent
# scripts against the simulator's Hyper-V (the job waits at the gate until the agent is ready).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${AETHERV_BUILD_DIR:-$top/build}
"$top/scripts/setup.sh"
"$top/scripts/build.sh"
deploy="$build/app/cli/aetherv-deploy"
hostsim="$build/tests/hostsim/aetherv-hostsim"

work=$(mktemp -d -t aetherv-demo-XXXXXX)
sim_pid=""
cleanup() {
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

banner() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

banner "starting 8 simulated Hyper-V hosts"
"$hostsim" --hosts 8 --root "$work/hosts" --users "$top/tests/hostsim/demo-users.txt" \
    > "$work/hostsim.out" 2> "$work/hostsim.log" &
sim_pid=$!
for _ in $(seq 1 300); do grep -q '"ready"' "$work/hostsim.out" 2>/dev/null && break; sleep 0.1; done
grep -q '"ready"' "$work/hostsim.out" || { cat "$work/hostsim.log" >&2; echo "the simulator did not start" >&2; exit 1; }

# The demo profile and the hosts' starting states.
/usr/bin/python3 - "$work" <<'PY'
import json, os, socket, sys
work = sys.argv[1]
ready = json.loads(open(os.path.join(work, "hostsim.out")).readline())
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
hosts = []
for h in ready["hosts"]:
    hosts.append({"address": "127.0.0.1", "port": int(h["url"].rsplit(":", 1)[1].split("/")[0])})
profile = {
    "schemaVersion": 2, "id": "demo", "name": "Demo lab", "environment": "test", "hosts": hosts,
    "installDirectory": "C:\\Program Files\\Aether-V",
    "downloadMaxAttempts": 3, "downloadRetryIntervalSeconds": 2,
    "winrm": {"transport": "http", "auth": "negotiate", "userName": "LAB\\operator"},
    "artifactServer": {"listenAddress": "127.0.0.1", "port": port},
    "ingressGate": {"timeoutSeconds": 30, "intervalSeconds": 1},
}
json.dump(profile, open(os.path.join(work, "profile.json"), "w"), indent=2)
names = [h["name"] for h in ready["hosts"]]
def install(name):
    d = os.path.join(work, "hosts", name, "C", "Program Files", "Aether-V")
    os.makedirs(d, exist_ok=True)
    return d
def write(path, data):
    with open(path, "wb") as f: f.write(data)
# HV02: an older release, with a script the new bundle no longer ships.
d = install(names[1]); write(os.path.join(d, "version"), b"0.3.0\r\n")
write(os.path.join(d, "Old.Helper.ps1"), b"Write-Output 'retired'\r\n")
# HV03: installed by the legacy manual installers.
d = install(names[2]); write(os.path.join(d, "scriptsversion"), b"1.2\r\n"); write(os.path.join(d, "isosversion"), b"1.1\r\n")
# HV04: a version file written by Windows PowerShell as UTF-16 with a BOM.
d = install(names[3]); write(os.path.join(d, "version"), b"\xff\xfe" + "0.2.0\r\n".encode("utf-16-le"))
# HV05: runs a newer agent than this console ships: it is left alone.
d = install(names[4]); write(os.path.join(d, "version"), b"9.0.0\n")
print("hosts:", ", ".join(f"{n} (127.0.0.1:{h['port']})" for n, h in zip(names, hosts)))
PY
# Test-only demo credentials of the simulator (tests/hostsim/demo-users.txt), in a 0600 file.
( umask 077; printf 'Demo-Passw0rd' > "$work/password" )
export AETHERV_WINRM_PASSWORD_FILE="$work/password"
run() { "$deploy" "$@" --profile-file "$work/profile.json"; }

banner "aetherv-deploy check   (reads each host's version; changes nothing)"
run check || true

banner "aetherv-deploy deploy  (serve, gate on the download URL, stage, verify, activate)"
rc=0
run deploy || rc=$?

banner "aetherv-deploy check   (after the rollout)"
run check || true

banner "aetherv-deploy smoke   (first host: every file, size, SHA-256 and the version file)"
first=$(/usr/bin/python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["hosts"][0]; print("%s:%d" % (h["address"], h["port"]))' "$work/profile.json")
run smoke "$first" || rc=$?

banner "on disk: the retired script and the legacy files are gone"
for h in "$work"/hosts/HV0[23]; do
    printf '%s: ' "$(basename "$h")"; ls "$h/C/Program Files/Aether-V" | tr '\n' ' '; echo
done

banner "aetherv-deploy provision  (a VM on the first host, from a golden image, through KVP)"
# A golden image in the host's default disk folder, and the job (agent/schema/job.schema.json).
gold="$work/hosts/HV01/C/Users/Public/Documents/Hyper-V/Virtual Hard Disks"
mkdir -p "$gold" && head -c 8388608 /dev/urandom > "$gold/win2022-datacenter.vhdx"
cat > "$work/web-01.json" <<'JOB'
{
  "schemaVersion": 1,
  "jobId": "demo-web-01",
  "vm": {
    "name": "web-01", "generation": 2, "processorCount": 2,
    "memory": { "startupMB": 4096, "dynamic": true, "minimumMB": 2048, "maximumMB": 8192 },
    "network": { "switchName": "LAN", "vlanId": 120 }
  },
  "image": { "name": "win2022-datacenter.vhdx" },
  "guest": {
    "os": "windows", "hostName": "web-01",
    "network": { "ipv4Address": "10.20.0.15", "prefixLength": 24, "gateway": "10.20.0.1" },
    "data": { "role": "web", "environment": "demo" }
  },
  "wait": { "timeoutSeconds": 120, "pollIntervalSeconds": 1 }
}
JOB
run provision --host "$first" --job "$work/web-01.json" || rc=$?

banner "the simulated host's Hyper-V now holds the VM"
/usr/bin/python3 - "$work/hosts/HV01/C/ProgramData/HyperVSim/vms/web-01.json" <<'PY'
import json, sys
vm = json.load(open(sys.argv[1]))
nic = vm["networkAdapters"][0]
print(f"{vm['name']}: {vm['state']}, generation {vm['generation']}, {vm['processorCount']} CPUs, "
      f"{vm['memory']['startupBytes'] // 2**20} MB (dynamic {vm['memory']['dynamic']}), "
      f"switch {nic['switchName']} VLAN {nic['vlan']['vlanId']}")
print("KVP to the guest:", ", ".join(sorted(vm["kvp"]["host"])))
PY
exit $rc
