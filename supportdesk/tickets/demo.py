"""The demo hub of `seed_demo`: languages, agents with realistic skills, multilingual tickets,
all from `seeds/`, deterministic for a seed and idempotent (a second run adds nothing)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from supportdesk.agents.services import agent_upsert
from supportdesk.clients.models import ClientApplication
from supportdesk.languages.models import Language
from supportdesk.languages.seeding import SEEDS_DIR, language_seeds
from supportdesk.tickets.commands import NewCustomer, NewTicket
from supportdesk.tickets.models import Priority
from supportdesk.tickets.services import ticket_create

DEMO_CLIENT_APP = "demo-helpcentre"
PRIORITY_WEIGHTS = {Priority.LOW: 15, Priority.NORMAL: 60, Priority.HIGH: 20, Priority.URGENT: 5}


@dataclass(frozen=True, slots=True)
class DemoSummary:
    languages: int
    agents: int
    tickets_created: int


def languages_seed() -> int:
    """Upsert the shipped languages (the data migration did it once; this keeps them current)."""
    seeds = language_seeds()
    with transaction.atomic():
        for position, entry in enumerate(seeds):
            Language.objects.update_or_create(
                tag=entry["tag"], defaults={"fallbacks": entry["fallbacks"], "position": position}
            )
    return len(seeds)


def hub_config() -> dict[str, Any]:
    hub: dict[str, Any] = json.loads((SEEDS_DIR / "hub.json").read_text("utf-8"))
    return hub


def sample_texts() -> dict[str, list[dict[str, str]]]:
    texts: dict[str, list[dict[str, str]]] = {}
    for path in sorted((SEEDS_DIR / "tickets").glob("*.json")):
        texts[path.stem] = json.loads(path.read_text("utf-8"))
    return texts


def _skills(rng: random.Random, hub: dict[str, Any], *, first: str | None) -> dict[str, str]:
    native: dict[str, int] = hub["native_share"]
    first = first or rng.choices(list(native), weights=list(native.values()))[0]
    skills = {first: "native"}
    for tag, percent in hub["second_languages"].items():
        if tag not in skills and rng.randrange(100) < percent:
            skills[tag] = rng.choice(["fluent", "fluent", "basic"])
    return skills


def agents_seed(*, count: int, rng: random.Random) -> int:
    """A hub staffed for its languages: the first agents are online native speakers of each
    language in turn (most common first), as a hub plans its shifts; the others have weighted
    native languages, and three in four of them are online."""
    hub = hub_config()
    covered = list(hub["native_share"])
    for number in range(1, count + 1):
        planned = covered[number - 1] if number <= len(covered) else None
        agent, _ = agent_upsert(
            username=f"demo-agent-{number:03d}",
            skills=_skills(rng, hub, first=planned),
            capacity=rng.randint(3, 8),
            online=planned is not None or rng.random() < 0.75,
        )
        user = agent.user
        user.first_name = rng.choice(hub["first_names"])
        user.last_name = rng.choice(hub["last_names"])
        user.save(update_fields=["first_name", "last_name"])
    return count


def tickets_seed(*, count: int, rng: random.Random) -> int:
    texts = sample_texts()
    if not texts:
        return 0
    native: dict[str, int] = hub_config()["native_share"]
    languages = [tag for tag in native if tag in texts]
    weights = [native[tag] for tag in languages]
    app, _ = ClientApplication.objects.get_or_create(name=DEMO_CLIENT_APP)
    created = 0
    for number in range(count):
        tag = rng.choices(languages, weights=weights)[0]
        text = rng.choice(texts[tag])
        priority = rng.choices(list(PRIORITY_WEIGHTS), weights=list(PRIORITY_WEIGHTS.values()))
        new = NewTicket(
            subject=text["subject"],
            body=text["body"],
            customer=NewCustomer(email=f"customer{number % 300:03d}@example.com"),
            language=tag,
            priority=int(priority[0]),
            channel="web",
        )
        _, was_created = ticket_create(
            client_app=app, new=new, idempotency_key=f"seed-demo-{number}"
        )
        created += was_created
    return created


def demo_seed(*, agents: int, tickets: int, seed: int = 2026) -> DemoSummary:
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    return DemoSummary(
        languages=languages_seed(),
        agents=agents_seed(count=agents, rng=rng),
        tickets_created=tickets_seed(count=tickets, rng=rng),
    )
