"""The demo ticket texts in seeds/tickets: one file per seeded language, in that language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from supportdesk.languages.detection import detect_language
from supportdesk.languages.refinement import base_language

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TAGS = [entry["tag"] for entry in json.loads((SEEDS / "languages.json").read_text())]


def _tickets(tag: str) -> list[dict[str, str]]:
    tickets: list[dict[str, str]] = json.loads((SEEDS / "tickets" / f"{tag}.json").read_text())
    return tickets


@pytest.mark.parametrize("tag", TAGS)
def test_every_seeded_language_has_demo_tickets(tag: str) -> None:
    tickets = _tickets(tag)
    assert len(tickets) >= 8
    for ticket in tickets:
        assert set(ticket) == {"subject", "body"}
        assert 15 <= len(ticket["subject"]) <= 60, ticket["subject"]
        assert 0 < len(ticket["body"]) <= 400, ticket["body"]
    assert len({ticket["subject"] for ticket in tickets}) == len(tickets)


def test_the_seeds_are_not_the_evaluation_corpus() -> None:
    corpus = Path(__file__).parent / "corpus"
    for tag in TAGS:
        texts = set(json.loads((corpus / f"{tag}.json").read_text("utf-8")))
        for ticket in _tickets(tag):
            assert ticket["subject"] not in texts
            assert ticket["body"] not in texts


@pytest.mark.parametrize("tag", TAGS)
def test_demo_tickets_are_written_in_their_language(tag: str) -> None:
    for ticket in _tickets(tag):
        text = f"{ticket['subject']}\n{ticket['body']}"
        found = detect_language(text, country=None, candidates=TAGS)
        assert found is not None, text
        assert base_language(found.tag) == base_language(tag), text
        if tag.startswith("zh-"):
            assert found.tag == tag
