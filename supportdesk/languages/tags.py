"""PURE: BCP 47 language tags, parsed, validated and normalised with Babel/CLDR.

`normalise("pt-br") == "pt-BR"`, `normalise("zh-hant") == "zh-Hant"`; an invalid tag raises
`InvalidTag` naming it. A tag is valid when Babel can parse it into a language it knows, with
an optional script and region (CLDR data); private-use and grandfathered tags are refused.
"""

from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError

from supportdesk.languages import subtags

_SHAPE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


class InvalidTag(ValueError):
    def __init__(self, tag: str) -> None:
        super().__init__(tag)
        self.tag = tag


def _locale(tag: str) -> Locale:
    if len(tag) > 35 or not _SHAPE.match(tag):
        raise InvalidTag(str(tag))
    try:
        return Locale.parse(tag.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise InvalidTag(tag) from exc


def normalise(tag: str) -> str:
    """The canonical spelling of a valid tag: language lower, Script title, REGION upper."""
    locale = _locale(tag)
    if "-" not in tag.replace("_", "-"):  # CLDR aliases may add a region (iw -> he_IL): not ours
        return locale.language
    parts = [locale.language]
    if locale.script:
        parts.append(locale.script)
    if locale.territory:
        parts.append(locale.territory)
    if locale.variant:
        parts.append(locale.variant.lower())
    return "-".join(parts)


def is_valid(tag: str) -> bool:
    try:
        _locale(tag)
    except InvalidTag:
        return False
    return True


primary = subtags.primary  # `pt` for `pt-BR`


def display_name(tag: str, *, in_language: str) -> str:
    """The CLDR name of `tag` in `in_language` (falls back to English, then the tag)."""
    locale = _locale(tag)
    for reader in (in_language, "en"):
        try:
            name = locale.get_display_name(Locale.parse(reader.replace("_", "-"), sep="-"))
        except (UnknownLocaleError, ValueError):
            continue
        if name:
            return name
    return tag


def native_name(tag: str) -> str:
    return display_name(tag, in_language=tag)
