"""PURE: pick the enabled language a client asks for (Accept-Language), with Babel."""

from __future__ import annotations

from collections.abc import Sequence

from babel import negotiate_locale

from supportdesk.languages.refinement import locale_chain, match_candidate, split_tag

MAX_HEADER_ENTRIES = 20
NORWEGIAN = {"no": "nb", "no-no": "nb-NO"}  # macrolanguage `no` is served as Bokmål


def parse_accept_language(header: str | None) -> list[str]:
    """`nl-NL,nl;q=0.9,en;q=0.5` → ["nl-NL", "nl", "en"], best first; junk entries dropped."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:MAX_HEADER_ENTRIES]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*" or len(tag) > 35:
            continue
        quality = _quality(params)
        if quality is not None and quality > 0:
            weighted.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(preferred: Sequence[str], available: Sequence[str]) -> str | None:
    """The first available tag matching a preferred one, preference by preference: exact
    (Babel), then by CLDR likely subtags and parent locales (`zh-TW` → `zh-Hant`, `pt-AO` →
    `pt-PT`), then by primary language (`nl-BE` → `nl`). A later preference is tried only when
    nothing matches an earlier one (`zh-TW, en` with zh-Hant enabled is zh-Hant, not en)."""
    if not preferred or not available:
        return None
    by_lower = {tag.lower(): tag for tag in available}
    for wanted in preferred:
        match = negotiate_locale([wanted], list(available), sep="-", aliases={})
        if match:
            return by_lower.get(match.lower(), match)
        split = split_tag(NORWEGIAN.get(wanted.lower(), wanted))
        if split is None:
            continue
        language, script, region = split
        found = match_candidate(locale_chain(language, script=script, region=region), available)
        if found is not None:
            return found
    return None


def _quality(params: str) -> float | None:
    """The q-value of `;q=0.8` (RFC 9110: `q` in any case, 0..1); None when malformed."""
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() != "q":
            continue
        try:
            quality = float(value.strip())
        except ValueError:
            return None
        return quality if 0 <= quality <= 1 else None
    return 1.0
