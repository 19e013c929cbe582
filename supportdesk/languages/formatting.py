"""Dates, times, countries and locales as the reader's language writes them (Babel/CLDR).

The reader is whoever Django's active language and time zone belong to: in the admin the
signed-in agent (`AgentPreferencesMiddleware`), so a Dutch agent reads `6 dec 2026 14:05`, a
German one `06.12.26, 14:05`, never the US order.
"""

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime, format_time
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, to_locale


def reader_locale() -> Locale:
    """The Babel locale of the active language (`pt-br` → `pt_BR`), English when unknown."""
    code = to_locale(get_language() or settings.LANGUAGE_CODE)
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def zone_named(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def when(value: datetime | None, *, length: str = "short") -> str:
    """`value` on the reader's clock, in the reader's order ("" for nothing)."""
    if value is None:
        return ""
    zone = timezone.get_current_timezone()
    return format_datetime(value, format=length, tzinfo=zone, locale=reader_locale())


def time_in_zone(zone_name: str, *, now: datetime | None = None) -> str:
    """The time now on the clock of `zone_name` (an IANA name), in the reader's format;
    "" when the zone is unknown."""
    zone = zone_named(zone_name)
    if zone is None:
        return ""
    moment = now or timezone.now()
    return format_time(moment, format="short", tzinfo=zone, locale=reader_locale())


def country_name(code: str) -> str:
    """`NL` → "Netherlands" / "Nederland" / "هولندا"; the code itself when CLDR does not know it."""
    name = reader_locale().territories.get(code.upper()) if code else None
    return f"{name} ({code.upper()})" if name else code


def locale_name(tag: str) -> str:
    """A customer's locale (`pt_BR`, `nl-BE`) named in the reader's language."""
    if not tag:
        return ""
    try:
        name = Locale.parse(tag.replace("-", "_")).get_display_name(reader_locale())
    except (UnknownLocaleError, ValueError):
        return tag
    return f"{name} ({tag})" if name else tag
