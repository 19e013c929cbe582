"""OAuth2 bearer tokens for the test IMAP server: JWTs signed with HS256 by a key that only the
test session and its dovecot know (dovecot's oauth2 passdb validates them locally, offline),
shaped like an identity provider's access tokens (subject, issue and expiry times)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

LIFETIME = 600  # seconds


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def bearer_token(*, key: bytes, subject: str) -> str:
    """An access token for `subject`, issued now and valid for ten minutes."""
    now = int(time.time())
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = _b64url(json.dumps({"sub": subject, "iat": now, "exp": now + LIFETIME}).encode())
    signature = hmac.new(key, f"{header}.{claims}".encode("ascii"), hashlib.sha256).digest()
    return f"{header}.{claims}.{_b64url(signature)}"
