"""BCP 47 tags: validated and normalised with Babel/CLDR (DESIGN §3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from supportdesk.languages import tags

SEED_TAGS = [
    entry["tag"]
    for entry in json.loads(
        (Path(__file__).resolve().parents[2] / "seeds/languages.json").read_text()
    )
]


@pytest.mark.parametrize("tag", SEED_TAGS)
def test_every_seeded_tag_is_valid_and_already_canonical(tag: str) -> None:
    assert tags.is_valid(tag)
    assert tags.normalise(tag) == tag


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("pt-br", "pt-BR"),
        ("PT-BR", "pt-BR"),
        ("zh-hant", "zh-Hant"),
        ("ZH-HANS", "zh-Hans"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("nl_NL", "nl-NL"),
        ("sr-latn-rs", "sr-Latn-RS"),
        ("EN", "en"),
        ("iw", "he"),  # CLDR's alias for the withdrawn Hebrew code
    ],
)
def test_normalise_spells_tags_the_canonical_way(given: str, canonical: str) -> None:
    assert tags.normalise(given) == canonical


@pytest.mark.parametrize(
    "tag",
    [
        "",
        "e",
        "english",
        "xx",
        "qaa",
        "zz-ZZ",
        "123",
        "x-klingon",
        "i-klingon",
        "en-US-x-private",
        "pt--BR",
        "-pt",
        "pt-",
        "en US",
        "a" * 40,
        "nl\x00",
        "tlh",
    ],
)
def test_invalid_tags_are_refused_and_named(tag: str) -> None:
    assert not tags.is_valid(tag)
    with pytest.raises(tags.InvalidTag) as raised:
        tags.normalise(tag)
    assert raised.value.tag == tag


def test_primary_is_the_language_subtag() -> None:
    assert tags.primary("pt-BR") == "pt"
    assert tags.primary("zh_Hant") == "zh"
    assert tags.primary("NL") == "nl"


@pytest.mark.parametrize(
    ("tag", "reader", "name"),
    [
        ("de", "fr", "allemand"),
        ("de", "en", "German"),
        ("pt-BR", "nl", "Portugees (Brazilië)"),
        ("nl", "ja", "オランダ語"),
        ("nb", "de", "Norwegisch (Bokmål)"),
        ("fi", "xx", "Finnish"),  # an unknown reader falls back to English
    ],
)
def test_display_names_come_from_cldr_in_the_readers_language(
    tag: str, reader: str, name: str
) -> None:
    assert tags.display_name(tag, in_language=reader) == name


@pytest.mark.parametrize(
    ("tag", "native"),
    [("nl", "Nederlands"), ("ja", "日本語"), ("ru", "русский"), ("zh-Hant", "中文 (繁體)")],
)
def test_native_names(tag: str, native: str) -> None:
    assert tags.native_name(tag) == native
