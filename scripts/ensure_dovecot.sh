#!/usr/bin/env bash
# Debian's dovecot-imapd for the inbound e-mail tests: a real IMAP server that each test
# session starts on a free loopback port with a private config and maildir (tests/mail/imap.py).
# Installed like Chromium; the system service itself is never started. dovecot-core (a
# dependency) carries everything the TLS and XOAUTH2 tests use: ssl, the xoauth2/oauthbearer
# mechanisms and the oauth2 passdb; their certificates and keys are made by the tests.
set -eu
command -v dovecot >/dev/null 2>&1 && [ -x /usr/lib/dovecot/imap ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "ERROR: dovecot-imapd is missing; install with: sudo apt-get install -y dovecot-imapd" >&2
  exit 1
fi
echo "installing dovecot-imapd from Debian for the inbound e-mail tests" >&2
apt-get update -qq
# the package's service is not started (no init system here; a policy-rc.d may refuse it)
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null
