"""Frozen commands passed to ticket services (more than ~6 inputs → a dataclass)."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

from django.core.serializers.json import DjangoJSONEncoder


@dataclass(frozen=True, slots=True)
class NewCustomer:
    email: str
    name: str = ""
    locale: str = ""
    country: str = ""
    timezone: str = ""


@dataclass(frozen=True, slots=True)
class NewTicket:
    subject: str
    body: str
    customer: NewCustomer
    language: str | None = None  # validated, normalised BCP 47 tag
    priority: int = 2
    channel: str = "api"
    tags: tuple[str, ...] = field(default_factory=tuple)
    external_id: str = ""

    def fingerprint(self) -> str:
        """Stable digest of the payload: same key + same fingerprint → a replay."""
        encoded = DjangoJSONEncoder(sort_keys=True, ensure_ascii=True).encode(asdict(self))
        return hashlib.sha256(encoded.encode("ascii")).hexdigest()
