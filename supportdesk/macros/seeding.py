"""`seeds/macros.json` into the database: the demo hub's macros (`seed_macros`, run by `make run`).

Idempotent and respectful: a macro or a variant that already exists (by name, by language) is
left as it is, so a manager's edits survive every restart; only what is missing is added."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from supportdesk.macros.models import Macro, MacroVariant
from supportdesk.macros.services import check_body, variant_language
from supportdesk.tickets.models import Priority

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "macros.json"


@dataclass(frozen=True, slots=True)
class Seeded:
    macros: int
    variants: int


def _macro_fields(seed: dict[str, Any]) -> dict[str, Any]:
    actions = seed.get("actions", {})
    priority = actions.get("priority")
    return {
        "source_language": variant_language(seed.get("source_language", "en")),
        "internal": bool(seed.get("internal", False)),
        "set_status": actions.get("status", ""),
        "set_priority": Priority.from_api_name(priority).value if priority else None,
        "add_tags": list(actions.get("tags", [])),
    }


def macros_seed(path: Path = SEEDS) -> Seeded:
    """Adds the macros and texts of `path` that are missing; returns how many it added."""
    seeds: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))
    macros = variants = 0
    with transaction.atomic():
        for seed in seeds:
            macro, created = Macro.objects.get_or_create(
                name=seed["name"], defaults=_macro_fields(seed)
            )
            macros += created
            for tag, (name, body) in seed["variants"].items():
                check_body(body)
                _variant, added = MacroVariant.objects.get_or_create(
                    macro=macro,
                    language=variant_language(tag),
                    defaults={"name": name, "body": body},
                )
                variants += added
    return Seeded(macros=macros, variants=variants)
