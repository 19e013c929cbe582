"""PURE: pick the enabled language a client asks for (Accept-Language), with Babel."""

from __future__ import annotations

from collections.abc import Sequence

from babel import Locale, UnknownLocaleError, negotiate_locale

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
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if quality > 0:
            weighted.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(preferred: Sequence[str], available: Sequence[str]) -> str | None:
    """The first available tag matching a preferred one: exact, then by CLDR likely subtags
    (`zh-TW` → `zh-Hant`), then by primary language (`nl-BE` → `nl`)."""
    if not preferred or not available:
        return None
    by_lower = {tag.lower(): tag for tag in available}
    match = negotiate_locale(list(preferred), list(available), sep="-", aliases={})
    if match:
        return by_lower.get(match.lower(), match)
    maximised_available = [(tag, _maximise(tag)) for tag in available]
    for wanted in preferred:
        maximised = _maximise(NORWEGIAN.get(wanted.lower(), wanted))
        if maximised is None:
            continue
        for width in (3, 2):  # same language, script and region; then language and script
            for tag, candidate in maximised_available:
                if candidate and candidate[:width] == maximised[:width]:
                    return tag
        for tag in available:
            if tag.split("-")[0].lower() == maximised[0] and "-" not in tag:
                return tag
    return None


def _maximise(tag: str) -> tuple[str, str | None, str | None] | None:
    try:
        locale = Locale.parse(tag.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    return locale.language, locale.script, locale.territory
