"""PURE: turn a detector's bare language into the enabled tag a ticket gets, the CLDR way.

Detectors answer `pt`, `zh`, `no`. We add what CLDR knows (Babel's likely-subtags and
parent-locale data) and what the text shows:

- `no` (macrolanguage) is served as `nb` (Bokmål), as in negotiation;
- Chinese gets its script from its characters (`scripts.han_script`); when the characters do
  not tell, from the customer's country (`zh` + TW → Hant), else CLDR's default (Hans);
- the region comes from the customer's country when CLDR has that locale (`pt` + BR → pt_BR,
  `pt` + AO → pt_AO), else from likely subtags (`pt` → pt_Latn_BR);
- the result is matched to an enabled tag: the same language/script/region, else its CLDR
  parent (pt_AO → pt_PT, zh_Hant_MO → zh_Hant_HK), else the language's likely default
  (`pt` → pt-BR), else any enabled tag with the same language and script, else with the same
  language (a `pt-BR` text when only `pt-PT` is enabled is `pt-PT`: the nearest tag the hub
  serves, rather than a tag that has no queue).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from babel import localedata
from babel.core import get_global, parse_locale

from supportdesk.languages.scripts import han_script
from supportdesk.languages.subtags import primary

NORWEGIAN = {"no": "nb"}

Triple = tuple[str, str | None, str | None]  # language, script, region


def base_language(tag: str) -> str:
    """The primary language subtag, lower-case, with `no` served as `nb`."""
    language = primary(tag)
    return NORWEGIAN.get(language, language)


def country_prior(country: str | None, languages: frozenset[str]) -> dict[str, float]:
    """A weight per language from CLDR's share of the country's population that speaks it:
    1 (unknown, or no country) to 2 (everyone). It tips close relatives (`nb`/`da` in
    Norway) and leaves a clear text alone."""
    if not country:
        return {}
    spoken: Mapping[str, Mapping[str, float]] = get_global("territory_languages").get(
        country.upper(), {}
    )
    prior: dict[str, float] = {}
    for key, info in spoken.items():
        language = base_language(key)
        if language in languages:
            share = min(max(float(info.get("population_percent", 0.0)), 0.0), 100.0) / 100
            prior[language] = max(prior.get(language, 1.0), 1.0 + share)
    return prior


@lru_cache(maxsize=4096)  # pure, and asked for every enabled tag on every detected ticket
def maximise(language: str, script: str | None, region: str | None) -> Triple:
    """CLDR 'add likely subtags': fill the missing script and region."""
    likely: Mapping[str, str] = get_global("likely_subtags")
    keys = [
        f"{language}_{script}_{region}" if script and region else None,
        f"{language}_{region}" if region else None,
        f"{language}_{script}" if script else None,
        language,
    ]
    for key in keys:
        if key and key in likely:
            _, found_region, found_script, *_ = parse_locale(likely[key])
            return language, script or found_script, region or found_region
    return language, script, region


@lru_cache(maxsize=4096)
def _split(tag: str) -> Triple | None:
    try:
        language, region, script, *_ = parse_locale(tag.replace("-", "_"))
    except ValueError:
        return None
    language = language.lower()
    return NORWEGIAN.get(language, language), script, region


def split_tag(tag: str) -> Triple | None:
    """(language, script, region) of a tag as written, `no` read as `nb`; None if malformed."""
    return _split(tag)


def region_for(language: str, *, script: str | None, country: str | None) -> str | None:
    """The customer's country as the region, when CLDR has that locale (pt_AO, not pt_US)."""
    if not country:
        return None
    country = country.upper()
    named = [f"{language}_{script}_{country}"] if script else []
    if any(localedata.exists(name) for name in [*named, f"{language}_{country}"]):
        return country
    return None


def locale_chain(language: str, *, script: str | None, region: str | None) -> list[Triple]:
    """Maximised locales to look for, best first: the locale itself, its CLDR parents, the
    language's likely default."""
    chain = [maximise(language, script, region)]
    parents: Mapping[str, str] = get_global("parent_exceptions")
    for _ in range(4):  # CLDR parent chains are short; the bound keeps junk data harmless
        current_language, current_script, current_region = chain[-1]
        keys = (
            f"{current_language}_{current_script}_{current_region}",
            f"{current_language}_{current_region}",
        )
        parent = next((parents[key] for key in keys if key in parents), None)
        split = _split(parent) if parent else None
        if split is None:
            break
        chain.append(maximise(*split))
    chain.append(maximise(language, chain[0][1], None))  # the script stays: zh_Hant_HK → zh_Hant
    return list(dict.fromkeys(chain))


def match_candidate(chain: Sequence[Triple], candidates: Sequence[str]) -> str | None:
    """The enabled tag for the first locale of `chain` it matches (see the module doc)."""
    maximised = []
    for tag in candidates:
        split = _split(tag)
        if split is not None:
            maximised.append((tag, maximise(*split)))
    for wanted in chain:
        for tag, candidate in maximised:
            if candidate == wanted:
                return tag
    for width in (2, 1):  # same language and script; then the same language
        for tag, candidate in maximised:
            if candidate[:width] == chain[0][:width]:
                return tag
    return None


def refine(language: str, *, text: str, country: str | None, candidates: Sequence[str]) -> str:
    """The tag for a detected bare `language` (see the module doc). Without a matching
    enabled tag, the refined tag itself (`pt-BR`, `zh-Hant`), valid BCP 47."""
    language = base_language(language)
    script = han_script(text) if language == "zh" else None
    if language == "zh" and script is None and country:
        script = maximise("zh", None, country.upper())[1]
    region = region_for(language, script=script, country=country)
    chain = locale_chain(language, script=script, region=region)
    matched = match_candidate(chain, candidates)
    if matched is not None:
        return matched
    own_language, own_script, own_region = chain[0]
    parts = [own_language]
    if language == "zh" and own_script:
        parts.append(own_script)
    if region and own_region == region:
        parts.append(region)
    return "-".join(parts)
