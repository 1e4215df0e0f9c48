#!/usr/bin/python3
"""pywinrm side of the WinRM client benchmark: runs the same PowerShell command N times against
the same endpoint (NTLM, message encryption always) and prints one JSON line with the client CPU
time (user+sys) of this process. Needs OPENSSL_CONF enabling the legacy provider (MD4)."""
import json
import os
import resource
import sys
import time

import winrm


def main():
    url, user, count, command = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    password = os.environ['AETHERV_WINRM_PASSWORD']
    start = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.monotonic()
    failures = 0
    for _ in range(count):
        # A new session per run, like the Aether-V driver (new connection and handshake each time).
        session = winrm.Session(url, auth=(user, password), transport='ntlm',
                                message_encryption='always')
        result = session.run_ps(command)
        if result.status_code != 0:
            failures += 1
    end = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (end.ru_utime - start.ru_utime) + (end.ru_stime - start.ru_stime)
    print(json.dumps({'client': 'pywinrm', 'runs': count, 'failures': failures, 'cpu_s': cpu,
                      'cpu_ms_per_run': cpu * 1000 / count, 'wall_s': time.monotonic() - wall}),
          file=sys.stderr)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
