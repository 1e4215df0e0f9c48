#!/usr/bin/python3
"""Measures aetherv-hostsim at scale: start-up time to the ready line, memory per host idle, and
memory/time while every host runs one real PowerShell command at once (pywinrm, NTLM with
message encryption, one thread per host).

Usage: OPENSSL_CONF=tests/hostsim_conformance/openssl-legacy.cnf \
       /usr/bin/python3 tests/hostsim/bench/measure-hosts.py build/tests/hostsim/aetherv-hostsim \
       [--hosts 200] [--workers 2]
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time

import winrm


def tree_rss_kib(pid):
    """Resident memory of pid and all its descendants, in KiB."""
    children = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as f:
                ppid = int(f.read().rsplit(')', 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, IndexError, ValueError):
            pass
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        stack.extend(children.get(p, []))
        try:
            with open('/proc/%d/status' % p) as f:
                for line in f:
                    if line.startswith('VmRSS:'):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('hostsim')
    ap.add_argument('--hosts', type=int, default=200)
    ap.add_argument('--workers', type=int, default=2)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix='hostsim-bench-')
    users = os.path.join(work, 'users')
    with open(users, 'w') as f:
        f.write('BENCH:operator:Bench-Passw0rd\n')
    t0 = time.monotonic()
    proc = subprocess.Popen([args.hostsim, '--hosts', str(args.hosts), '--root', os.path.join(work, 'root'),
                             '--users', users, '--workers', str(args.workers)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    ready = json.loads(proc.stdout.readline())
    startup = time.monotonic() - t0
    time.sleep(2)
    idle = tree_rss_kib(proc.pid)

    peak = [idle]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss_kib(proc.pid))
            time.sleep(0.2)

    def run(host):
        s = winrm.Session(host['url'], auth=('BENCH\\operator', 'Bench-Passw0rd'), transport='ntlm',
                          message_encryption='always')
        r = s.run_ps('Set-Content "C:\\Program Files\\marker.txt" $env:COMPUTERNAME; Start-Sleep -Seconds 3; '
                     'Get-Content "C:\\Program Files\\marker.txt"')
        ok = r.status_code == 0 and r.std_out.decode().strip() == host['name']
        if not ok:
            print('host %s: exit %s stdout %r stderr %r' % (host['name'], r.status_code, r.std_out, r.std_err[:300]))
        return ok

    sampler = threading.Thread(target=sample)
    sampler.start()
    t1 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(ready['hosts'])) as pool:
        results = list(pool.map(run, ready['hosts']))
    wall = time.monotonic() - t1
    stop.set()
    sampler.join()
    proc.terminate()
    proc.wait(timeout=30)
    shutil.rmtree(work, ignore_errors=True)
    n = len(ready['hosts'])
    print(json.dumps({
        'hosts': n, 'workers': args.workers, 'startup_s': round(startup, 2),
        'idle_rss_mib': round(idle / 1024, 1), 'idle_kib_per_host': round(idle / n, 1),
        'concurrent_commands_ok': sum(results), 'concurrent_wall_s': round(wall, 2),
        'peak_rss_mib': round(peak[0] / 1024, 1), 'peak_kib_per_host': round(peak[0] / n, 1)}))


if __name__ == '__main__':
    main()
