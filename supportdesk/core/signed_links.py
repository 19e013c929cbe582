"""Signed, expiring links: the link is the credential (Django's TimestampSigner with
SECRET_KEY and a salt per kind of link); a bad or expired token is a plain 404, no hint which."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.urls import reverse


def signed_url(*, salt: str, value: object, route: str) -> str:
    """The absolute URL of `route` whose `token` signs `value` now."""
    token = signing.TimestampSigner(salt=salt).sign(str(value))
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{reverse(route, kwargs={'token': token})}"


def signed_value(*, salt: str, token: str, max_age: int) -> str:
    """The value `token` signs, if it is genuine and younger than `max_age` seconds; else 404."""
    try:
        return signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
    except signing.BadSignature as exc:  # includes SignatureExpired
        raise Http404 from exc
