#!/usr/bin/env python3
"""Aether-V guest provisioning for Linux, driven by Hyper-V KVP.

hv_kvp_daemon keeps the key/value pools in /var/lib/hyperv/.kvp_pool_N: arrays of fixed-size
records (512-byte key, 2048-byte value, UTF-8, NUL-padded). Pool 0 holds what the host
published (AetherV.* items); items written to pool 1 reach the host as the VM's guest items.

Commands:
  read [--pool N]          print a pool as a JSON object
  set KEY VALUE [--pool N] add or replace one record (default pool 1, guest -> host)
  run                      wait for the host's data, apply host name, static IPv4 and an admin
                           account with SSH keys, and report AetherV.ProvisioningStatus
                           (InProgress | Ready | Failed) and AetherV.ProvisioningMessage

"run" with --no-exec writes configuration files under --root but runs no command; it prints the
commands it would run. Nothing here holds a password: accounts get SSH keys only.
"""
import argparse
import fcntl
import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
import time

KEY_SIZE = 512
VALUE_SIZE = 2048
RECORD_SIZE = KEY_SIZE + VALUE_SIZE
POOL_EXTERNAL = 0
POOL_GUEST = 1
STATUS_KEY = "AetherV.ProvisioningStatus"
MESSAGE_KEY = "AetherV.ProvisioningMessage"
COMMIT_KEY = "AetherV.Published"
HOSTNAME_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
USER_RE = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")


class ProvisioningError(Exception):
    """A problem with the host's data or applying it; the message goes to the host."""


def pool_path(kvp_dir, pool):
    return os.path.join(kvp_dir, ".kvp_pool_%d" % pool)


def parse_records(blob):
    """Returns the (key, value) pairs of a pool file's content, in file order."""
    records = []
    for offset in range(0, len(blob) - RECORD_SIZE + 1, RECORD_SIZE):
        raw_key = blob[offset:offset + KEY_SIZE].split(b"\0", 1)[0]
        raw_value = blob[offset + KEY_SIZE:offset + RECORD_SIZE].split(b"\0", 1)[0]
        if raw_key:
            records.append((raw_key.decode("utf-8", "replace"), raw_value.decode("utf-8", "replace")))
    return records


def encode_record(key, value):
    raw_key = key.encode("utf-8")
    raw_value = value.encode("utf-8")
    if not raw_key or len(raw_key) > KEY_SIZE - 1:
        raise ProvisioningError("KVP key must be 1-%d UTF-8 bytes: %r" % (KEY_SIZE - 1, key))
    if len(raw_value) > VALUE_SIZE - 1:
        raise ProvisioningError("KVP value of %s exceeds %d UTF-8 bytes" % (key, VALUE_SIZE - 1))
    if b"\0" in raw_key or b"\0" in raw_value:
        raise ProvisioningError("KVP key/value must not contain NUL")
    return raw_key.ljust(KEY_SIZE, b"\0") + raw_value.ljust(VALUE_SIZE, b"\0")


def read_pool(kvp_dir, pool):
    """The pool as a dict (later records win), under a shared lock like hv_kvp_daemon's."""
    path = pool_path(kvp_dir, pool)
    if not os.path.exists(path):
        return {}
    with open(path, "rb") as handle:
        fcntl.lockf(handle, fcntl.LOCK_SH)
        try:
            blob = handle.read()
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)
    return dict(parse_records(blob))


def write_item(kvp_dir, pool, key, value):
    """Adds or replaces one record in a pool file, under an exclusive lock."""
    record = encode_record(key, value)
    path = pool_path(kvp_dir, pool)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    with os.fdopen(fd, "r+b") as handle:
        fcntl.lockf(handle, fcntl.LOCK_EX)
        try:
            blob = handle.read()
            records = [(k, v) for (k, v) in parse_records(blob) if k != key]
            records.append((key, value))
            handle.seek(0)
            handle.write(b"".join(encode_record(k, v) for (k, v) in records[:-1]) + record)
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)


class Provisioner:
    def __init__(self, args):
        self.kvp_dir = args.kvp_dir
        self.root = args.root
        self.execute = not args.no_exec
        self.timeout = args.timeout
        self.poll = args.poll
        self.interface = args.interface
        self.actions = []

    def path(self, absolute):
        return os.path.join(self.root, absolute.lstrip("/"))

    def report(self, status, message):
        write_item(self.kvp_dir, POOL_GUEST, MESSAGE_KEY, message[:1000])
        write_item(self.kvp_dir, POOL_GUEST, STATUS_KEY, status)

    def run_command(self, argv):
        self.actions.append({"command": argv, "executed": self.execute})
        if self.execute:
            done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
            if done.returncode != 0:
                output = done.stdout.decode("utf-8", "replace").strip()
                raise ProvisioningError("%s failed (%d): %s" % (" ".join(argv), done.returncode, output[-300:]))

    def write_file(self, absolute, content, mode=0o644):
        target = self.path(absolute)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        temporary = target + ".aetherv-new"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
        self.actions.append({"file": absolute, "mode": "%04o" % mode})

    def wait_for_data(self):
        deadline = time.monotonic() + self.timeout
        while True:
            items = read_pool(self.kvp_dir, POOL_EXTERNAL)
            if COMMIT_KEY in items:
                return items
            if time.monotonic() >= deadline:
                raise ProvisioningError("the host published no provisioning data within %d s" % self.timeout)
            time.sleep(self.poll)

    @staticmethod
    def settings(items):
        """Validates the host's items; returns the settings dict."""
        hostname = items.get("AetherV.HostName", "")
        if not HOSTNAME_RE.match(hostname):
            raise ProvisioningError("AetherV.HostName %r is not a valid host name" % hostname)
        result = {"job": items.get(COMMIT_KEY, ""), "hostname": hostname, "address": None,
                  "gateway": None, "dns": [], "user": None, "keys": []}
        if "AetherV.Network.IPv4Address" in items:
            try:
                result["address"] = ipaddress.IPv4Interface("%s/%s" % (
                    items["AetherV.Network.IPv4Address"], items.get("AetherV.Network.PrefixLength", "")))
                if "AetherV.Network.Gateway" in items:
                    result["gateway"] = ipaddress.IPv4Address(items["AetherV.Network.Gateway"])
                result["dns"] = [ipaddress.IPv4Address(s.strip()) for s in
                                 items.get("AetherV.Network.DnsServers", "").split(",") if s.strip()]
            except ValueError as error:
                raise ProvisioningError("invalid network settings: %s" % error)
        user = items.get("AetherV.Linux.AdminUser")
        if user is not None:
            if not USER_RE.match(user):
                raise ProvisioningError("AetherV.Linux.AdminUser %r is not a valid user name" % user)
            result["user"] = user
        index = 0
        while "AetherV.Linux.SshKey.%d" % index in items:
            key = items["AetherV.Linux.SshKey.%d" % index].strip()
            if "\n" in key or not re.match(r"^(ssh-|ecdsa-|sk-)\S+ \S+", key):
                raise ProvisioningError("AetherV.Linux.SshKey.%d is not an SSH public key" % index)
            result["keys"].append(key)
            index += 1
        if result["keys"] and not result["user"]:
            raise ProvisioningError("SSH keys were given without AetherV.Linux.AdminUser")
        return result

    def apply_hostname(self, hostname):
        self.write_file("/etc/hostname", hostname + "\n")
        hosts_path = self.path("/etc/hosts")
        lines = []
        if os.path.exists(hosts_path):
            with open(hosts_path, encoding="utf-8") as handle:
                lines = [line for line in handle.read().splitlines() if not line.startswith("127.0.1.1")]
        lines.append("127.0.1.1\t%s" % hostname)
        self.write_file("/etc/hosts", "\n".join(lines) + "\n")
        if shutil.which("hostnamectl"):
            self.run_command(["hostnamectl", "set-hostname", hostname])
        else:
            self.run_command(["hostname", hostname])

    def pick_interface(self):
        if self.interface:
            return self.interface
        names = sorted(n for n in os.listdir("/sys/class/net") if n != "lo" and
                       os.path.exists(os.path.join("/sys/class/net", n, "device")))
        if not names:
            raise ProvisioningError("no network interface found to configure")
        return names[0]

    def apply_network(self, settings):
        address = settings["address"]
        if address is None:
            return "DHCP"
        nic = self.pick_interface()
        gateway = settings["gateway"]
        dns = [str(s) for s in settings["dns"]]
        # Keep cloud-init from regenerating the network configuration at later boots.
        self.write_file("/etc/cloud/cloud.cfg.d/99-aetherv-network.cfg", "network: {config: disabled}\n")
        if os.path.isdir(self.path("/etc/netplan")):
            lines = ["network:", "  version: 2", "  ethernets:", "    %s:" % nic, "      dhcp4: false",
                     "      addresses: [%s]" % address.with_prefixlen]
            if gateway is not None:
                lines += ["      routes:", "        - to: default", "          via: %s" % gateway]
            if dns:
                lines += ["      nameservers:", "        addresses: [%s]" % ", ".join(dns)]
            self.write_file("/etc/netplan/60-aetherv.yaml", "\n".join(lines) + "\n", 0o600)
            self.run_command(["netplan", "apply"])
        elif shutil.which("nmcli"):
            command = ["nmcli", "connection", "add", "type", "ethernet", "con-name", "aetherv-" + nic,
                       "ifname", nic, "ipv4.method", "manual", "ipv4.addresses", address.with_prefixlen]
            if gateway is not None:
                command += ["ipv4.gateway", str(gateway)]
            if dns:
                command += ["ipv4.dns", ",".join(dns)]
            self.run_command(command)
            self.run_command(["nmcli", "connection", "up", "aetherv-" + nic])
        else:
            lines = ["[Match]", "Name=%s" % nic, "", "[Network]", "Address=%s" % address.with_prefixlen]
            if gateway is not None:
                lines.append("Gateway=%s" % gateway)
            lines += ["DNS=%s" % s for s in dns]
            self.write_file("/etc/systemd/network/10-aetherv.network", "\n".join(lines) + "\n")
            self.run_command(["systemctl", "restart", "systemd-networkd"])
        return "%s on %s" % (address.with_prefixlen, nic)

    def apply_user(self, settings):
        user = settings["user"]
        if user is None:
            return None
        groups_path = self.path("/etc/group")
        admin_group = "sudo"
        if os.path.exists(groups_path):
            with open(groups_path, encoding="utf-8") as handle:
                names = {line.split(":", 1)[0] for line in handle}
            if "sudo" not in names and "wheel" in names:
                admin_group = "wheel"
        existing = False
        passwd_path = self.path("/etc/passwd")
        if os.path.exists(passwd_path):
            with open(passwd_path, encoding="utf-8") as handle:
                existing = any(line.split(":", 1)[0] == user for line in handle)
        if not existing:
            self.run_command(["useradd", "--create-home", "--shell", "/bin/bash", "--groups", admin_group, user])
        self.write_file("/etc/sudoers.d/90-aetherv-%s" % user, "%s ALL=(ALL) NOPASSWD:ALL\n" % user, 0o440)
        if settings["keys"]:
            home = "/home/%s" % user
            self.write_file(home + "/.ssh/authorized_keys", "\n".join(settings["keys"]) + "\n", 0o600)
            os.chmod(self.path(home + "/.ssh"), 0o700)
            self.run_command(["chown", "-R", "%s:%s" % (user, user), home + "/.ssh"])
        return user

    def state_path(self):
        return self.path("/var/lib/aetherv/state.json")

    def run(self):
        self.report("InProgress", "Waiting for provisioning data from the host")
        items = self.wait_for_data()
        state = {}
        if os.path.exists(self.state_path()):
            with open(self.state_path(), encoding="utf-8") as handle:
                state = json.load(handle)
        if state.get("job") == items[COMMIT_KEY] and state.get("phase") == "Completed":
            message = state.get("message", "already provisioned")
            self.report("Ready", message)
            return message
        settings = self.settings(items)
        self.apply_hostname(settings["hostname"])
        network = self.apply_network(settings)
        user = self.apply_user(settings)
        message = "Provisioned as %s; network %s" % (settings["hostname"], network)
        if user:
            message += "; admin user %s" % user
        self.write_file("/var/lib/aetherv/state.json",
                        json.dumps({"job": settings["job"], "phase": "Completed", "message": message}) + "\n", 0o600)
        self.report("Ready", message)
        return message


def main(argv=None):
    parser = argparse.ArgumentParser(description="Aether-V Hyper-V KVP provisioning for Linux guests")
    parser.add_argument("--kvp-dir", default="/var/lib/hyperv", help="folder of the .kvp_pool_N files")
    commands = parser.add_subparsers(dest="command")
    read = commands.add_parser("read", help="print a KVP pool as JSON")
    read.add_argument("--pool", type=int, default=POOL_EXTERNAL, choices=range(5))
    setter = commands.add_parser("set", help="add or replace a KVP record")
    setter.add_argument("key")
    setter.add_argument("value")
    setter.add_argument("--pool", type=int, default=POOL_GUEST, choices=range(5))
    run = commands.add_parser("run", help="provision this guest from the host's KVP data")
    run.add_argument("--root", default="/", help="file system root for configuration files")
    run.add_argument("--no-exec", action="store_true", help="run no command; print them instead")
    run.add_argument("--timeout", type=int, default=3600, help="seconds to wait for the host's data")
    run.add_argument("--poll", type=float, default=5.0, help="seconds between pool reads")
    run.add_argument("--interface", help="network interface (default: first with a device)")
    args = parser.parse_args(argv)
    try:
        if args.command == "read":
            print(json.dumps(read_pool(args.kvp_dir, args.pool), sort_keys=True))
            return 0
        if args.command == "set":
            write_item(args.kvp_dir, args.pool, args.key, args.value)
            return 0
        if args.command == "run":
            if not os.path.isdir(args.kvp_dir):
                print(json.dumps({"ok": False, "error": "%s is missing: is hv_kvp_daemon installed and running?" % args.kvp_dir}))
                return 1
            provisioner = Provisioner(args)
            try:
                message = provisioner.run()
            except (ProvisioningError, OSError) as error:
                provisioner.report("Failed", str(error))
                print(json.dumps({"ok": False, "error": str(error), "actions": provisioner.actions}))
                return 1
            print(json.dumps({"ok": True, "message": message, "actions": provisioner.actions}))
            return 0
        parser.print_help()
        return 2
    except ProvisioningError as error:
        print(json.dumps({"ok": False, "error": str(error)}))
        return 1


if __name__ == "__main__":
    sys.exit(main())
