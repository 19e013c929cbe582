"""Load `seeds/languages.json`: used by the data migration and by `seed_demo` (idempotent)."""

import json
from pathlib import Path
from typing import TypedDict

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


class LanguageSeed(TypedDict):
    tag: str
    fallbacks: list[str]


def language_seeds() -> list[LanguageSeed]:
    seeds: list[LanguageSeed] = json.loads((SEEDS_DIR / "languages.json").read_text("utf-8"))
    return seeds
