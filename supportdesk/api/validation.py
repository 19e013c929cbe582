"""Field validators for API input: single-line text, BCP 47 tags, ISO 3166-1 countries, IANA
time zones."""

import functools
import unicodedata
import zoneinfo

from babel import Locale
from django.utils.translation import gettext as _
from rest_framework import serializers

from supportdesk.languages import tags

# CLDR lists 2-letter codes that are not ISO 3166-1 countries: groupings, pseudo-regions and
# the "exceptionally reserved" codes (XK, Kosovo, stays: clients use it)
NOT_COUNTRIES = frozenset(
    {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}
)


@functools.cache
def country_codes() -> frozenset[str]:
    territories = Locale("en").territories
    return frozenset(
        code
        for code in map(str, territories)
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    )


@functools.cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def language_tag(value: str) -> str:
    """The normalised tag (`pt-br` → `pt-BR`); a 400 naming the tag when it is not BCP 47."""
    try:
        return tags.normalise(value)
    except tags.InvalidTag as exc:
        raise serializers.ValidationError(
            _('"{tag}" is not a valid language tag.').format(tag=value[:40])
        ) from exc


def country(value: str) -> str:
    code = value.upper()
    if code not in country_codes():
        raise serializers.ValidationError(
            _('"{country}" is not an ISO 3166-1 country code.').format(country=value[:10])
        )
    return code


def time_zone(value: str) -> str:
    if value not in time_zones():
        raise serializers.ValidationError(
            _('"{timezone}" is not an IANA time zone.').format(timezone=value[:64])
        )
    return value


LINE_BREAKS = "\r\n\t\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def single_line(value: str) -> str:
    """Text that becomes an e-mail header (a subject, a name): line breaks and tabs become one
    space each run, other control characters are a 400 (they have no business in a name)."""
    flat = "".join(" " if char in LINE_BREAKS else char for char in value)
    if any(unicodedata.category(char) == "Cc" for char in flat):
        raise serializers.ValidationError(_("Control characters are not allowed here."))
    return " ".join(flat.split())
