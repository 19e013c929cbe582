"""Accept-Language parsing and negotiation against the enabled languages (Babel, CLDR)."""

from __future__ import annotations

import pytest

from supportdesk.languages.negotiation import negotiate, parse_accept_language

ENABLED = [
    "en",
    "nl",
    "de",
    "fr",
    "es",
    "ca",
    "pt-PT",
    "pt-BR",
    "nb",
    "da",
    "sv",
    "zh-Hans",
    "zh-Hant",
    "ja",
]


@pytest.mark.parametrize(
    ("header", "parsed"),
    [
        ("nl-NL,nl;q=0.9,en;q=0.5", ["nl-NL", "nl", "en"]),
        ("en;q=0.5, de", ["de", "en"]),  # higher quality first, whatever the order
        ("de;q=0.5,en;q=0.5", ["de", "en"]),  # ties keep the header's order
        ("fr;Q=0.3, it", ["it", "fr"]),  # the q parameter is case-insensitive
        ("da, en-gb;q=0.8, en;q=0.7", ["da", "en-gb", "en"]),
        ("fr;level=1;q=0.4, it", ["it", "fr"]),
        ("en;q=0, de", ["de"]),  # q=0 means "not this one"
        ("*", []),
        ("*;q=0.1, fr", ["fr"]),
        ("fr;q=abc, de", ["de"]),  # junk quality: the entry is dropped
        ("fr;q=2, de", ["de"]),  # out of range
        (";;;,,", []),
        ("", []),
        (None, []),
        ("x" * 40 + ", de", ["de"]),
    ],
)
def test_parse_accept_language(header: str | None, parsed: list[str]) -> None:
    assert parse_accept_language(header) == parsed


def test_a_huge_header_is_cut_to_the_first_entries() -> None:
    header = ",".join(["fr;q=0.1"] * 10_000 + ["de"])
    assert parse_accept_language(header) == ["fr"] * 20


@pytest.mark.parametrize(
    ("preferred", "chosen"),
    [
        (["nl"], "nl"),
        (["NL"], "nl"),
        (["pt-br"], "pt-BR"),
        (["nl-BE"], "nl"),  # the same language
        (["de-AT"], "de"),
        (["en-GB"], "en"),
        (["zh-TW"], "zh-Hant"),  # CLDR likely subtags: zh-TW is written in Hant
        (["zh-HK"], "zh-Hant"),
        (["zh-MO"], "zh-Hant"),
        (["zh-CN"], "zh-Hans"),
        (["zh-SG"], "zh-Hans"),
        (["zh"], "zh-Hans"),
        (["pt"], "pt-BR"),  # CLDR: pt is pt_Latn_BR
        (["pt-AO"], "pt-PT"),  # CLDR parent locale of pt_AO is pt_PT
        (["pt-MZ"], "pt-PT"),
        (["no"], "nb"),  # Norwegian served as Bokmål
        (["no-NO"], "nb"),
        (["nb-NO"], "nb"),
        (["sr", "fr"], "fr"),  # nothing for Serbian: the next preference
        (["x-klingon", "de"], "de"),
        (["sr"], None),
        ([], None),
    ],
)
def test_negotiate(preferred: list[str], chosen: str | None) -> None:
    assert negotiate(preferred, ENABLED) == chosen


def test_a_language_without_its_own_variant_gets_the_enabled_one() -> None:
    assert negotiate(["zh-TW"], ["en", "zh-Hans"]) == "zh-Hans"
    assert negotiate(["pt-BR"], ["en", "pt-PT"]) == "pt-PT"
    assert negotiate(["de"], []) is None


def test_header_to_language_end_to_end() -> None:
    header = "zh-TW,zh;q=0.9,en-US;q=0.8,en;q=0.7"
    assert negotiate(parse_accept_language(header), ENABLED) == "zh-Hant"
