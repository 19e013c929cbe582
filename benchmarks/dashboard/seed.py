"""Seed a big hub fast: 400 agents in 30 languages and 1,000,000 tickets over 120 days, written
with PostgreSQL COPY (psycopg 3 `cursor.copy`). Deterministic (fixed random seed) relative to
`now`, so two runs produce the same shape.

Shape: arrivals uniform over 120 days (~350 an hour); tickets younger than 30 min are 40 % new
(waiting); 30 min-4 h: 5 % new, 50 % open, 20 % pending; up to 3 days: 2 % open, 10 % pending;
up to 7 days: 10 % pending; the rest solved (older than 7 days: 70 % of those closed). Open
tickets go to an online agent who speaks the language and has room, else they wait (new).
"""

import json
import random
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from tqdm import tqdm

from supportdesk.agents.models import Agent, AgentLanguage
from supportdesk.agents.roles import AGENTS_GROUP
from supportdesk.clients.models import ClientApplication
from supportdesk.tickets.models import Customer, Ticket

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
DAYS = 120
CUSTOMERS = 100_000
CHUNK = 20_000
PRIORITY_WEIGHTS = {1: 10, 2: 70, 3: 15, 4: 5}
FIRST_RESPONSE_TARGET = {1: 4 * 3600, 2: 3600, 3: 1800, 4: 900}


def languages(count: int) -> tuple[list[str], list[int]]:
    shares: dict[str, int] = json.loads((SEEDS / "hub.json").read_text("utf-8"))["native_share"]
    top = sorted(shares.items(), key=lambda item: -item[1])[:count]
    return [tag for tag, _ in top], [share for _, share in top]


def seed_agents(
    *, rng: random.Random, count: int, tags: list[str], weights: list[int], now: datetime
) -> dict[str, list[list[int]]]:
    """Agents with a native language (by the hub's shares), English for 85 %; 60 % online.
    Returns, per language, [agent id, capacity, load] of every speaker, online ones first-class:
    the load counts only for online agents (open tickets)."""
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        [
            user_model(username=f"bench-agent-{i:03d}", is_staff=True, password="!")  # noqa: S106 - unusable
            for i in range(count)
        ]
    )
    Group.objects.get(name=AGENTS_GROUP).user_set.add(*users)
    statuses = rng.choices(["online", "away", "offline"], weights=[60, 10, 30], k=count)
    agents = Agent.objects.bulk_create(
        [
            Agent(user=user, status=status, last_seen=now, capacity=5, load=0)
            for user, status in zip(users, statuses, strict=True)
        ]
    )
    skills, online = [], defaultdict(list)
    for agent in agents:
        native = rng.choices(tags, weights=weights)[0]
        spoken = {native: "native"}
        if native != "en" and rng.random() < 0.85:
            spoken["en"] = "fluent"
        for tag, level in spoken.items():
            skills.append(
                AgentLanguage(
                    agent=agent, tag=tag, language_base=tag.split("-")[0].lower(), proficiency=level
                )
            )
            # offline agents keep their history (solved tickets) but take no open ones
            capacity = agent.capacity if agent.status == "online" else 0
            online[tag].append([agent.id, capacity, 0])
    AgentLanguage.objects.bulk_create(skills)
    return online


def _text(value: object) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def copy_rows(
    table: str, columns: list[str], rows: Iterator[dict[str, object]], total: int
) -> None:
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.connection.cursor().copy(sql) as copy:
        batch: list[str] = []
        with tqdm(total=total, desc=table, unit="rows", unit_scale=True) as bar:
            for row in rows:
                batch.append("\t".join(_text(row[c]) for c in columns))
                if len(batch) == CHUNK:
                    copy.write("\n".join(batch) + "\n")
                    bar.update(len(batch))
                    batch = []
            if batch:
                copy.write("\n".join(batch) + "\n")
                bar.update(len(batch))


def _defaults(model: type[Ticket] | type[Customer]) -> dict[str, object]:
    """Every concrete column with its Python default, so new fields need no change here."""
    return {f.column: f.get_default() for f in model._meta.concrete_fields if f.column != "id"}


def customer_rows(*, app_id: int, now: datetime) -> Iterator[dict[str, object]]:
    base = _defaults(Customer)
    for i in range(CUSTOMERS):
        yield base | {
            "client_app_id": app_id,
            "email": f"customer{i}@example.com",
            "name": f"Customer {i}",
            "created_at": now,
            "updated_at": now,
        }


def _timeline(rng: random.Random, created: datetime, now: datetime) -> dict[str, datetime | None]:
    def after(start: datetime, mean_seconds: float) -> datetime:
        return min(start + timedelta(seconds=rng.expovariate(1 / mean_seconds)), now)

    assigned = after(created, 180)
    responded = after(assigned, 1200)
    solved = after(responded, 3 * 3600)
    return {"assigned_at": assigned, "first_response_at": responded, "solved_at": solved}


def _status(rng: random.Random, age: timedelta) -> str:
    r = rng.random()
    if age < timedelta(minutes=30):
        return "new" if r < 0.4 else "open"
    if age < timedelta(hours=4):
        return "new" if r < 0.05 else "open" if r < 0.55 else "pending" if r < 0.75 else "solved"
    if age < timedelta(days=3):
        return "open" if r < 0.02 else "pending" if r < 0.12 else "solved"
    if age < timedelta(days=7):
        return "pending" if r < 0.1 else "solved"
    return "closed" if r < 0.7 else "solved"


def _assign(rng: random.Random, online: dict[str, list[list[int]]], tag: str) -> int | None:
    room = [slot for slot in online.get(tag, ()) if slot[2] < slot[1]]
    if not room:
        return None
    slot = rng.choice(room)
    slot[2] += 1
    return slot[0]


def _first_match(i: int) -> int:
    """93 % exact, 3 % same primary subtag, 4 % fallback; no random draw (the shape of the
    rest of the seed stays what it was)."""
    r = (i * 7919) % 100
    return 0 if r < 93 else 1 if r < 96 else 2


def ticket_rows(  # noqa: PLR0913 - the seed's inputs
    *,
    rng: random.Random,
    count: int,
    now: datetime,
    app_id: int,
    tags: list[str],
    weights: list[int],
    online: dict[str, list[list[int]]],
) -> Iterator[dict[str, object]]:
    base = _defaults(Ticket)
    span = DAYS * 24 * 3600
    # newest first, so that open tickets claim agent capacity before older ones
    ages = sorted(rng.random() * span for _ in range(count))
    priorities = list(PRIORITY_WEIGHTS)
    for i, age_seconds in enumerate(ages):
        created = now - timedelta(seconds=age_seconds)
        tag = rng.choices(tags, weights=weights)[0]
        priority = rng.choices(priorities, weights=list(PRIORITY_WEIGHTS.values()))[0]
        status = _status(rng, now - created)
        row = base | {
            "created_at": created,
            "updated_at": created,
            "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "client_app_id": app_id,
            "customer_id": rng.randint(1, CUSTOMERS),
            "subject": f"Question {i}",
            "language": tag,
            "language_source": "explicit",
            "priority": priority,
            "status": status,
            "first_response_due_at": created + timedelta(seconds=FIRST_RESPONSE_TARGET[priority]),
            "resolution_due_at": created + timedelta(days=1),
        }
        if status == "open":
            row["assignee_id"] = _assign(rng, online, tag)
            if row["assignee_id"] is None:
                row["status"] = status = "new"
        elif status != "new":
            row["assignee_id"] = rng.choice(online[tag])[0] if online.get(tag) else None
        if status != "new":
            times = _timeline(rng, created, now)
            row["assigned_at"] = times["assigned_at"]
            row["first_match_rank"] = _first_match(i)
            if status != "open" or rng.random() < 0.5:
                row["first_response_at"] = times["first_response_at"]
            if status in {"solved", "closed"}:
                row["solved_at"] = times["solved_at"]
            if status == "closed":
                row["closed_at"] = min(times["solved_at"] + timedelta(days=3), now)
        yield row


def seed(*, tickets: int, agents: int, language_count: int, now: datetime) -> None:
    rng = random.Random(20260302)
    tables = ", ".join(
        m._meta.db_table for m in (Ticket, Customer, AgentLanguage, Agent, ClientApplication)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    get_user_model().objects.filter(username__startswith="bench-").delete()
    tags, weights = languages(language_count)
    app = ClientApplication.objects.create(name="bench")
    online = seed_agents(rng=rng, count=agents, tags=tags, weights=weights, now=now)
    customer_columns = list(_defaults(Customer))
    copy_rows(
        Customer._meta.db_table,
        customer_columns,
        customer_rows(app_id=app.id, now=now),
        CUSTOMERS,
    )
    copy_rows(
        Ticket._meta.db_table,
        list(_defaults(Ticket)),
        ticket_rows(
            rng=rng,
            count=tickets,
            now=now,
            app_id=app.id,
            tags=tags,
            weights=weights,
            online=online,
        ),
        tickets,
    )
    with connection.cursor() as cursor:  # agents' load = their open tickets
        cursor.execute(
            f"UPDATE {Agent._meta.db_table} a SET load = o.n FROM (SELECT assignee_id, count(*) n "  # noqa: S608 - model table names
            f"FROM {Ticket._meta.db_table} WHERE status = 'open' GROUP BY assignee_id) o "
            "WHERE a.id = o.assignee_id"
        )
        cursor.execute(f"VACUUM ANALYZE {Ticket._meta.db_table}")
        cursor.execute(f"VACUUM ANALYZE {Agent._meta.db_table}")
        cursor.execute(f"VACUUM ANALYZE {AgentLanguage._meta.db_table}")
