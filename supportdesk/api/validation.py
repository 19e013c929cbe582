"""Field validators for API input: BCP 47 tags, ISO 3166-1 countries, IANA time zones."""

import functools
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
