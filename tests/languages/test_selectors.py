"""Enabled languages and fallback chains, as seeded by the data migration (PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import override_settings

from supportdesk.languages.models import Language
from supportdesk.languages.selectors import enabled_tags, fallback_chain

SEEDS = json.loads((Path(__file__).resolve().parents[2] / "seeds/languages.json").read_text())

pytestmark = pytest.mark.django_db


def test_the_migration_enables_every_seeded_language_in_order() -> None:
    assert enabled_tags() == [entry["tag"] for entry in SEEDS]


@pytest.mark.parametrize("entry", SEEDS, ids=lambda entry: entry["tag"])
def test_every_seeded_chain_ends_in_the_default_language(entry: dict[str, object]) -> None:
    chain = fallback_chain(tag=str(entry["tag"]))
    if entry["tag"] != "en":
        assert chain[-1] == "en"
    assert entry["tag"] not in chain
    assert len(chain) == len(set(chain))


@pytest.mark.parametrize(
    ("tag", "chain"),
    [
        ("ca", ("es", "en")),
        ("pt-BR", ("pt-PT", "es", "en")),
        ("uk", ("ru", "pl", "en")),
        ("en", ()),
    ],
)
def test_seeded_chains(tag: str, chain: tuple[str, ...]) -> None:
    assert fallback_chain(tag=tag) == chain


@pytest.mark.parametrize(
    ("tag", "chain"),
    [
        ("pt-AO", ("pt-PT", "pt-BR", "es", "en")),  # CLDR parent pt_PT
        ("pt", ("pt-BR", "pt-PT", "es", "en")),  # CLDR likely pt_BR
        ("nl-BE", ("nl", "en")),
        ("zh-HK", ("zh-Hant", "zh-Hans", "en")),
        ("sr", ("en",)),  # a language we do not serve: straight to the default
    ],
)
def test_an_unknown_tag_falls_back_through_its_language(tag: str, chain: tuple[str, ...]) -> None:
    assert fallback_chain(tag=tag) == chain


@override_settings(DEFAULT_LANGUAGE="nl")
def test_the_default_language_is_appended() -> None:
    assert fallback_chain(tag="ca") == ("es", "en", "nl")
    assert fallback_chain(tag="sr") == ("nl",)
    assert fallback_chain(tag="nl") == ("en",)


def test_a_disabled_language_keeps_its_chain() -> None:
    Language.objects.filter(tag="ca").update(enabled=False)
    assert "ca" not in enabled_tags()
    assert fallback_chain(tag="ca") == ("es", "en")
