"""PURE: the placeholders of a macro text, `{{customer_name}}` and friends.

A placeholder is a known name between double braces (spaces inside allowed: `{{ agent_name }}`).
`unknown_placeholders` lists the names a text uses that are not known (checked when a variant
is saved); `fill` replaces each known placeholder with its value and leaves other text alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDERS = (
    "customer_name",
    "ticket_reference",
    "agent_name",
    "first_response_due",
    "resolution_due",
)
_PATTERN = re.compile(r"\{\{\s*([^{}\s]*)\s*\}\}")


def used_placeholders(text: str) -> list[str]:
    """The names between double braces in `text`, in order of first use."""
    return list(dict.fromkeys(match.group(1) for match in _PATTERN.finditer(text)))


def unknown_placeholders(text: str) -> list[str]:
    return [name for name in used_placeholders(text) if name not in PLACEHOLDERS]


def fill(text: str, values: Mapping[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return values[name] if name in values else match.group(0)

    return _PATTERN.sub(value, text)
