"""PURE: API key format. A key is `sd_<prefix>.<secret>`; the prefix finds the row, the
SHA-256 of the whole key is compared in constant time. Keys carry 256 bits of randomness, so a
fast hash is the right tool (a slow password hash would only slow every request)."""

import hashlib
import hmac
import secrets
from typing import NamedTuple


class KeyParts(NamedTuple):
    prefix: str
    digest: str


def generate() -> tuple[str, KeyParts]:
    prefix = secrets.token_hex(6)
    key = f"sd_{prefix}.{secrets.token_urlsafe(32)}"
    return key, KeyParts(prefix, digest(key))


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def prefix_of(key: str) -> str | None:
    if not key.startswith("sd_") or "." not in key:
        return None
    prefix = key[3:].split(".", 1)[0]
    return prefix if 0 < len(prefix) <= 16 else None


def matches(key: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(key), stored_digest)
