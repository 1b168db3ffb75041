#!/usr/bin/env bash
# Real servers for the end-to-end tests (DESIGN §8, /work/shared/TEST-SERVICES.md), on loopback only:
#   Dovecot IMAP 127.0.0.1:1143 (LMTP 2424), user test / password secret, no TLS
#   Radicale CalDAV 127.0.0.1:5232, no auth
# State (config, maildirs, collections, logs, pids) lives in .test-services/ in the repo (gitignored).
#
# Usage (as root): scripts/test-services.sh up|down|status
#   up      installs the Debian packages if missing, then starts whatever is not running (idempotent)
#   down    stops both by the pids they wrote
#   status  prints what is running; exit code 1 when something is down
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${AIOS_TEST_SERVICES_DIR:-$ROOT/.test-services}"
D="$STATE/dovecot"
R="$STATE/radicale"

say() { printf 'test-services: %s\n' "$*"; }
die() { printf 'test-services: error: %s\n' "$*" >&2; exit 1; }

# True when something listens on 127.0.0.1:$1.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local port=$1 name=$2 i
  for i in $(seq 1 100); do listening "$port" && return 0; sleep 0.1; done
  die "$name did not listen on 127.0.0.1:$port within 10 s; see its log in $STATE"
}

install_packages() {
  local missing=()
  command -v dovecot >/dev/null || missing+=(dovecot-imapd)
  [ -x /usr/lib/dovecot/lmtp ] || missing+=(dovecot-lmtpd)
  [ -x /usr/bin/radicale ] || missing+=(radicale)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "packages missing (${missing[*]}); run as root: sudo $0 up"
  say "installing ${missing[*]} (about 30 s)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dovecot-imapd dovecot-lmtpd radicale >/dev/null
}

write_dovecot_conf() {
  id vmail >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin vmail
  mkdir -p "$D/mail" "$D/run" "$D/state"
  chown vmail:vmail "$D/mail"
  echo 'test:{PLAIN}secret::::::' > "$D/users"
  cat > "$D/dovecot.conf" <<CONF
protocols = imap lmtp
listen = 127.0.0.1
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
info_log_path = $D/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = dovecot
default_login_user = dovenull
mail_location = maildir:$D/mail/%n/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $D/users
}
userdb {
  driver = static
  args = uid=vmail gid=vmail home=$D/mail/%n
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \Trash
    auto = subscribe
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = 1143
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = 2424
  }
}
protocol imap {
  imap_idle_notify_interval = 2 secs
}
CONF
}

dovecot_up() {
  if listening 1143; then say "dovecot already listening on 127.0.0.1:1143"; return 0; fi
  # The repo path must be traversable by the vmail user that owns the maildirs.
  mkdir -p "$D" && chmod o+x "$STATE" "$D"
  write_dovecot_conf
  dovecot -c "$D/dovecot.conf" </dev/null >/dev/null 2>&1
  wait_port 1143 dovecot
  wait_port 2424 dovecot-lmtp
  doveadm -c "$D/dovecot.conf" auth test test secret >/dev/null || die "dovecot auth check failed; see $D/dovecot.log"
  say "dovecot up: imap 127.0.0.1:1143, lmtp 127.0.0.1:2424 (pid $(cat "$D/run/master.pid"))"
}

dovecot_down() {
  if [ -f "$D/dovecot.conf" ] && [ -f "$D/run/master.pid" ] && kill -0 "$(cat "$D/run/master.pid")" 2>/dev/null; then
    dovecot -c "$D/dovecot.conf" stop || true
    for _ in $(seq 1 50); do listening 1143 || break; sleep 0.1; done
    say "dovecot stopped"
  else
    say "dovecot not running (from $D)"
  fi
}

radicale_up() {
  if listening 5232; then say "radicale already listening on 127.0.0.1:5232"; return 0; fi
  mkdir -p "$R/collections"
  cat > "$R/config" <<CONF
[server]
hosts = 127.0.0.1:5232
[auth]
type = none
[rights]
type = owner_only
[storage]
filesystem_folder = $R/collections
CONF
  nohup /usr/bin/radicale --config "$R/config" > "$R/radicale.log" 2>&1 &
  echo $! > "$R/radicale.pid"
  wait_port 5232 radicale
  say "radicale up: http://127.0.0.1:5232/ (pid $(cat "$R/radicale.pid"))"
}

radicale_down() {
  if [ -f "$R/radicale.pid" ] && kill -0 "$(cat "$R/radicale.pid")" 2>/dev/null; then
    kill "$(cat "$R/radicale.pid")"
    for _ in $(seq 1 50); do listening 5232 || break; sleep 0.1; done
    rm -f "$R/radicale.pid"
    say "radicale stopped"
  else
    say "radicale not running (from $R)"
  fi
}

status() {
  local rc=0
  if listening 1143 && listening 2424; then say "dovecot: up (127.0.0.1:1143, lmtp 2424)"; else say "dovecot: down"; rc=1; fi
  if listening 5232; then say "radicale: up (127.0.0.1:5232)"; else say "radicale: down"; rc=1; fi
  return $rc
}

case "${1:-}" in
  up)
    mkdir -p "$STATE"
    install_packages
    dovecot_up
    radicale_up
    ;;
  down)
    dovecot_down
    radicale_down
    ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
