#!/usr/bin/python3
"""pywinrm (Debian python3-winrm 0.3.0) against aetherv-hostsim: a WinRM client we did not write.

Usage: conformance.py HOSTSIM_EXE SCENARIO   (SCENARIO: ntlm | basic-https | kerberos)
Needs OPENSSL_CONF pointing at openssl-legacy.cnf (MD4 for NTLM).
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import winrm
from winrm.exceptions import InvalidCredentialsError

HOSTSIM = None
SUPPORT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support')
USER, DOMAIN, PASSWORD = 'alice', 'TESTDOM', 'Passw0rd!'
SCRIPT = ('"host=$env:COMPUTERNAME"\n'
          'New-Item -ItemType Directory -Force "C:\\Program Files\\Aether-V" | Out-Null\n'
          'Set-Content -Path "C:\\Program Files\\Aether-V\\version" -Value "2.5.0"\n'
          '"version=" + (Get-Content "C:\\Program Files\\Aether-V\\version")\n'
          'exit 3\n')


def make_certificate(work):
    """A throwaway self-signed certificate for 127.0.0.1, trusted explicitly by the client."""
    cert, key = os.path.join(work, 'cert.pem'), os.path.join(work, 'key.pem')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
                    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
                    '-keyout', key, '-out', cert], check=True, capture_output=True)
    return cert, key


class HostSim:
    def __init__(self, work, *args, env=None):
        self.root = os.path.join(work, 'root')
        self.proc = subprocess.Popen([HOSTSIM, '--hosts', '2', '--root', self.root, *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=env)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError('aetherv-hostsim exited: ' + self.proc.stderr.read())
        ready = json.loads(line)
        assert ready['event'] == 'ready', line
        self.hosts = ready['hosts']

    def stop(self):
        self.proc.terminate()
        try:
            _, err = self.proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return err


def raw_send(protocol, shell_id, command_id, data, end):
    """rsp:Send through pywinrm's own envelope and transport (0.3.0 has no send_command_input)."""
    req = {'env:Envelope': protocol._get_soap_header(
        resource_uri='http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd',
        action='http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Send',
        shell_id=shell_id)}
    stream = {'@Name': 'stdin', '@CommandId': command_id,
              '#text': base64.b64encode(data).decode('ascii')}
    if end:
        stream['@End'] = 'true'
    req['env:Envelope'].setdefault('env:Body', {})['rsp:Send'] = {'rsp:Stream': stream}
    import xmltodict
    protocol.send_message(xmltodict.unparse(req))


class Common:
    def session(self, host=0, password=PASSWORD, **kw):
        return winrm.Session(self.sim.hosts[host]['url'], auth=(self.login, password),
                             transport=self.transport, ca_trust_path=getattr(self, 'ca', None), **kw)

    def test_run_ps_stdout_exit_code_and_drive(self):
        r = self.session(**self.session_args).run_ps(SCRIPT)
        self.assertEqual(r.status_code, 3)
        self.assertEqual(r.std_out.decode(), 'host=%s\r\nversion=2.5.0\r\n' % self.sim.hosts[0]['name'])
        self.assertEqual(r.std_err, b'')
        with open(os.path.join(self.sim.hosts[0]['root'], 'Program Files', 'Aether-V', 'version')) as f:
            self.assertEqual(f.read().strip(), '2.5.0')
        self.assertFalse(os.path.exists(os.path.join(self.sim.hosts[1]['root'], 'Program Files', 'Aether-V')))

    def test_script_over_stdin(self):
        p = self.session(**self.session_args).protocol
        shell = p.open_shell()
        try:
            cmd = p.run_command(shell, 'powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', '-'])
            raw_send(p, shell, cmd, b'"first $env:USERNAME"\r\n', False)
            raw_send(p, shell, cmd, b'Write-Error boom\r\nexit 4\r\n', True)
            out, err, code = p.get_command_output(shell, cmd)
            p.cleanup_command(shell, cmd)
        finally:
            p.close_shell(shell)
        self.assertEqual(code, 4)
        self.assertEqual(out.decode(), 'first %s\r\n' % USER)
        self.assertIn(b'boom', err)

    def test_wrong_password_is_rejected(self):
        with self.assertRaises(InvalidCredentialsError):
            self.session(password='not-the-password', **self.session_args).run_ps('"never"')


class NtlmEncryptedOverHttp(Common, unittest.TestCase):
    transport = 'ntlm'
    login = DOMAIN + '\\' + USER
    session_args = {'message_encryption': 'always'}

    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix='hostsim-ntlm-')
        users = os.path.join(cls.work, 'users')
        with open(users, 'w') as f:
            f.write('%s:%s:%s\n' % (DOMAIN, USER, PASSWORD))
        cls.sim = HostSim(cls.work, '--users', users)
        assert cls.sim.hosts[0]['url'].startswith('http://')

    @classmethod
    def tearDownClass(cls):
        err = cls.sim.stop()
        assert PASSWORD not in err, 'the password leaked into the log'
        shutil.rmtree(cls.work, ignore_errors=True)

    def test_unencrypted_request_is_refused(self):
        with self.assertRaises(InvalidCredentialsError):
            self.session(message_encryption='never').run_ps('"plain"')


class BasicOverHttps(Common, unittest.TestCase):
    transport = 'basic'
    login = USER
    session_args = {}

    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix='hostsim-basic-')
        users = os.path.join(cls.work, 'users')
        with open(users, 'w') as f:
            f.write('%s:%s:%s\n' % (DOMAIN, USER, PASSWORD))
        cert, key = make_certificate(cls.work)
        cls.ca = cert
        cls.sim = HostSim(cls.work, '--users', users, '--auth', 'negotiate,basic', '--https',
                          '--cert', cert, '--key', key)
        assert cls.sim.hosts[0]['url'].startswith('https://')

    @classmethod
    def tearDownClass(cls):
        err = cls.sim.stop()
        assert PASSWORD not in err, 'the password leaked into the log'
        shutil.rmtree(cls.work, ignore_errors=True)


class KerberosOverHttps(Common, unittest.TestCase):
    transport = 'kerberos'
    login = USER + '@AETHERV.TEST'
    session_args = {}

    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix='hostsim-krb-')
        kdc = os.path.join(cls.work, 'kdc')
        fixture = os.path.join(SUPPORT, 'kdc', 'kdc-fixture.sh')
        out = subprocess.run([fixture, 'start', kdc, 'AETHERV.TEST', '0', USER, PASSWORD, 'hv01', 'hv02'],
                             check=True, capture_output=True, text=True).stdout
        cls.kdc_dir = kdc
        info = json.loads(out.splitlines()[-1])
        env = dict(os.environ, KRB5_CONFIG=info['krb5_config'], KRB5CCNAME='FILE:' + os.path.join(kdc, 'ccache'))
        os.environ.update(KRB5_CONFIG=env['KRB5_CONFIG'], KRB5CCNAME=env['KRB5CCNAME'])
        subprocess.run(['kinit', USER + '@AETHERV.TEST'], input=PASSWORD + '\n', text=True, check=True,
                       capture_output=True, env=env)
        cert, key = make_certificate(cls.work)
        cls.ca = cert
        cls.sim = HostSim(cls.work, '--auth', 'negotiate,kerberos', '--keytab', info['keytab'], '--https',
                          '--cert', cert, '--key', key, '--host-names', 'HV01,HV02', env=env)

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()
        subprocess.run([os.path.join(SUPPORT, 'kdc', 'kdc-fixture.sh'), 'stop', cls.kdc_dir])
        shutil.rmtree(cls.work, ignore_errors=True)

    def session(self, host=0, password=PASSWORD, **kw):
        # requests-kerberos uses the ticket cache; the SPN is HTTP/<host name>, not the IP.
        return winrm.Session(self.sim.hosts[host]['url'], auth=(self.login, password), transport='kerberos',
                             ca_trust_path=self.ca,
                             kerberos_hostname_override=self.sim.hosts[host]['name'].lower(), **kw)

    def test_wrong_password_is_rejected(self):
        # Kerberos never sends a password to the server; a ticket for a service the host does not
        # hold keys for is what the server can reject.
        s = winrm.Session(self.sim.hosts[0]['url'], auth=(self.login, PASSWORD), transport='kerberos',
                          ca_trust_path=self.ca, kerberos_hostname_override='unknown-host')
        with self.assertRaises(Exception):
            s.run_ps('"never"')

    def test_script_over_stdin(self):
        super().test_script_over_stdin()


SCENARIOS = {'ntlm': NtlmEncryptedOverHttp, 'basic-https': BasicOverHttps, 'kerberos': KerberosOverHttps}

if __name__ == '__main__':
    HOSTSIM, scenario = sys.argv[1], sys.argv[2]
    suite = unittest.TestLoader().loadTestsFromTestCase(SCENARIOS[scenario])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
