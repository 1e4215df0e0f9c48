#!/usr/bin/python3
"""pywinrm side of the fleet check benchmark: reads the version file of every host with a pool of
worker threads (NTLM, message encryption always, a new session per host), compares it with the
expected version and prints one JSON line: hosts, current, failures, wall time and this process's
CPU time (user+sys). Needs OPENSSL_CONF enabling OpenSSL's legacy provider (MD4).
    pywinrm_check.py URLS_FILE USER EXPECTED_VERSION THREADS
The password is read from the file named by AETHERV_WINRM_PASSWORD_FILE."""
import concurrent.futures
import json
import os
import resource
import sys
import time

import winrm

COMMAND = "Get-Content -Raw -LiteralPath 'C:\\Program Files\\Aether-V\\version'"


def main():
    urls_file, user, expected, threads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    with open(os.environ['AETHERV_WINRM_PASSWORD_FILE'], encoding='utf-8') as f:
        password = f.read().rstrip('\r\n')
    urls = [line.strip() for line in open(urls_file, encoding='utf-8') if line.strip()]

    def read_version(url):
        session = winrm.Session(url, auth=(user, password), transport='ntlm',
                                message_encryption='always')
        result = session.run_ps(COMMAND)
        if result.status_code != 0:
            return 'error'
        return result.std_out.decode('utf-8', 'replace').strip().lstrip('\ufeff')

    start = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.monotonic()
    current = failures = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        for future in concurrent.futures.as_completed([pool.submit(read_version, u) for u in urls]):
            try:
                version = future.result()
            except Exception:  # a refused or broken connection counts as a failed read
                failures += 1
                continue
            if version == expected:
                current += 1
            elif version == 'error':
                failures += 1
    wall = time.monotonic() - wall
    end = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (end.ru_utime - start.ru_utime) + (end.ru_stime - start.ru_stime)
    print(json.dumps({'client': 'pywinrm', 'threads': threads, 'hosts': len(urls),
                      'current': current, 'failures': failures, 'wall_s': round(wall, 3),
                      'cpu_s': round(cpu, 3)}))
    return 0 if current == len(urls) else 1


if __name__ == '__main__':
    sys.exit(main())
