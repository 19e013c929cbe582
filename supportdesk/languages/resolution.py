"""PURE: which language a new ticket is in, and why (DESIGN §4).

First that applies: the request's explicit tag → the customer's locale → the Accept-Language
header negotiated against enabled languages → detection when confident → the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Source = Literal["explicit", "customer", "header", "detected", "default"]


@dataclass(frozen=True, slots=True)
class Detected:
    tag: str
    confidence: float


@dataclass(frozen=True, slots=True)
class ResolvedLanguage:
    tag: str
    source: Source
    confidence: float | None = None


def resolve_language(
    *,
    explicit: str | None,
    customer_locale: str | None,
    negotiated: str | None,
    detected: Detected | None,
    default: str,
    min_confidence: float,
) -> ResolvedLanguage:
    """Tags passed in are already validated and normalised by the caller."""
    if explicit:
        return ResolvedLanguage(explicit, "explicit")
    if customer_locale:
        return ResolvedLanguage(customer_locale, "customer")
    if negotiated:
        return ResolvedLanguage(negotiated, "header")
    if detected is not None and detected.confidence >= min_confidence:
        return ResolvedLanguage(detected.tag, "detected", detected.confidence)
    return ResolvedLanguage(default, "default")
