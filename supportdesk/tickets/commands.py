"""Frozen commands passed to ticket services (more than ~6 inputs → a dataclass)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class NewCustomer:
    email: str
    name: str = ""
    locale: str = ""
    country: str = ""
    timezone: str = ""


CUSTOMER_FIELDS = ("email", "name", "locale", "country", "timezone")


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
    # "<sha256> <name>" of each attached file, in order: other files under one
    # Idempotency-Key are another request (409), the same files a replay
    attachments: tuple[str, ...] = field(default_factory=tuple)

    def fingerprint(self) -> str:
        """Stable digest of the payload: same key + same fingerprint → a replay. The JSON is
        that of `dataclasses.asdict(self)` (stored digests stay valid), built without its
        recursive deep copy."""
        customer = self.customer
        payload: dict[str, object] = {
            "subject": self.subject,
            "body": self.body,
            "customer": {name: getattr(customer, name) for name in CUSTOMER_FIELDS},
            "language": self.language,
            "priority": self.priority,
            "channel": self.channel,
            "tags": list(self.tags),
            "external_id": self.external_id,
        }
        if self.attachments:  # absent when there are none: earlier digests stay valid
            payload["attachments"] = list(self.attachments)
        encoded = json.dumps(payload, sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(encoded.encode("ascii")).hexdigest()
