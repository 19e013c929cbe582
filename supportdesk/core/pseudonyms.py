"""The stable pseudonym that stands for a customer once erased (and in the audit trail from
the start): an HMAC of the customer's id under SECRET_KEY, so it names the same row every time
and tells nothing about the person."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

PREFIX = "erased-"
EMAIL_DOMAIN = "erased.invalid"  # RFC 2606: can never be delivered to


def _digest(message: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def customer_pseudonym(customer_id: int) -> str:
    """`erased-3f9a0c21b7d4e855` for customer 42, always the same."""
    return f"{PREFIX}{_digest(f'customer:{customer_id}')[:16]}"


def pseudonym_email(customer_id: int) -> str:
    return f"{customer_pseudonym(customer_id)}@{EMAIL_DOMAIN}"


def email_digest(*, client_app_id: int, email: str) -> str:
    """Keyed digest of an erased address: a repeated erasure request for it finds the erased
    row (idempotency) without the address being kept."""
    return _digest(f"email:{client_app_id}:{email.strip().lower()}")


def is_erased_address(email: str) -> bool:
    """An address erasure put in place of a customer's: never written to."""
    return email.lower().endswith(f"@{EMAIL_DOMAIN}")
