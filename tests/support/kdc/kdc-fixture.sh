#!/usr/bin/env bash
# A throwaway MIT Kerberos KDC on loopback for tests.
#
#   kdc-fixture.sh start DIR REALM PORT USER PASSWORD HOST [HOST...]
#       Creates DIR/krb5.conf, DIR/kdc.conf, a database with USER@REALM (password PASSWORD) and
#       HTTP/<host> for every HOST (lower-cased; its keys exported to DIR/http.keytab), and starts
#       krb5kdc on 127.0.0.1:PORT (0 = pick a free port). Prints one line:
#           {"event":"kdc-ready","realm":...,"port":...,"krb5_config":...,"keytab":...}
#       Use KRB5_CONFIG=DIR/krb5.conf for every Kerberos client and server of the test.
#   kdc-fixture.sh stop DIR
#       Stops the KDC started in DIR (its pid is in DIR/krb5kdc.pid).
#
# The password is passed on the command line of this script only; it is never logged.
set -euo pipefail

die() { printf 'kdc-fixture: %s\n' "$*" >&2; exit 1; }
for tool in krb5kdc kdb5_util kadmin.local; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || die "$tool is missing (Debian krb5-kdc, krb5-admin-server)"
done
export PATH="$PATH:/usr/sbin"

free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

case "${1:-}" in
start)
    [ $# -ge 7 ] || die "usage: $0 start DIR REALM PORT USER PASSWORD HOST [HOST...]"
    dir=$(mkdir -p "$2" && cd "$2" && pwd); realm=$3; port=$4; user=$5; password=$6; shift 6
    [ "$port" = 0 ] && port=$(free_port)
    mkdir -p "$dir/db"
    cat > "$dir/krb5.conf" <<CONF
[libdefaults]
    default_realm = $realm
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    dns_canonicalize_hostname = false
    udp_preference_limit = 1
    default_ccache_name = FILE:$dir/ccache
[realms]
    $realm = {
        kdc = 127.0.0.1:$port
        admin_server = 127.0.0.1:$port
    }
[domain_realm]
    .${realm,,} = $realm
    ${realm,,} = $realm
CONF
    cat > "$dir/kdc.conf" <<CONF
[kdcdefaults]
    kdc_listen = 127.0.0.1:$port
    kdc_tcp_listen = 127.0.0.1:$port
[realms]
    $realm = {
        database_name = $dir/db/principal
        key_stash_file = $dir/db/stash
        acl_file = $dir/kadm5.acl
        max_life = 10h 0m 0s
        max_renewable_life = 7d 0h 0m 0s
        supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
    }
[logging]
    kdc = FILE:$dir/krb5kdc.log
CONF
    : > "$dir/kadm5.acl"
    export KRB5_CONFIG="$dir/krb5.conf" KRB5_KDC_PROFILE="$dir/kdc.conf"
    master=$(head -c 24 /dev/urandom | base64)
    kdb5_util create -s -r "$realm" -P "$master" >/dev/null 2>"$dir/kdb5_util.log" || die "kdb5_util create failed (see $dir/kdb5_util.log)"
    kadmin.local -r "$realm" -q "addprinc -pw $password $user@$realm" >/dev/null 2>>"$dir/kadmin.log" || die "creating $user failed"
    for host in "$@"; do
        h=${host,,}
        kadmin.local -r "$realm" -q "addprinc -randkey HTTP/$h@$realm" >/dev/null 2>>"$dir/kadmin.log" || die "creating HTTP/$h failed"
        kadmin.local -r "$realm" -q "ktadd -k $dir/http.keytab HTTP/$h@$realm" >/dev/null 2>>"$dir/kadmin.log" || die "exporting HTTP/$h failed"
    done
    krb5kdc -r "$realm" -P "$dir/krb5kdc.pid" || die "krb5kdc did not start (see $dir/krb5kdc.log)"
    for _ in $(seq 1 100); do
        [ -s "$dir/krb5kdc.pid" ] && /usr/bin/python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null && break
        sleep 0.05
    done
    printf '{"event":"kdc-ready","realm":"%s","port":%s,"krb5_config":"%s","keytab":"%s"}\n' \
        "$realm" "$port" "$dir/krb5.conf" "$dir/http.keytab"
    ;;
stop)
    [ $# -eq 2 ] || die "usage: $0 stop DIR"
    pidfile="$2/krb5kdc.pid"
    [ -s "$pidfile" ] || exit 0
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    rm -f "$pidfile"
    ;;
*)
    die "usage: $0 start DIR REALM PORT USER PASSWORD HOST... | stop DIR"
    ;;
esac
