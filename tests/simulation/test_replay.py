"""Replay stored tickets (PostgreSQL) and the `simulate` command end to end."""

import json
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from supportdesk.routing.policy import Proficiency
from supportdesk.simulation.replay import replay_build
from supportdesk.simulation.scenario import scenario_parse
from supportdesk.simulation.selectors import latest_report
from supportdesk.tickets.models import Ticket
from tests.factories import AgentFactory, TicketFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NINE = datetime(2026, 3, 2, 9, 0, tzinfo=AMSTERDAM)
SCENARIOS = Path(__file__).resolve().parents[2] / "seeds" / "scenarios"


def stored_ticket(language: str, created: datetime, **times: datetime) -> Ticket:
    ticket = TicketFactory(language=language)
    Ticket.objects.filter(id=ticket.id).update(created_at=created, **times)
    return ticket


@pytest.fixture
def past_hour() -> None:
    AgentFactory(skills=["nl:native", "en"], capacity=3)
    AgentFactory(skills=["es"], capacity=2)
    created = NINE + timedelta(minutes=15)
    stored_ticket(
        "nl",
        created,
        assigned_at=created + timedelta(minutes=1),
        solved_at=created + timedelta(minutes=11),
    )
    stored_ticket("ca", NINE + timedelta(minutes=30))
    stored_ticket("nl", NINE - timedelta(seconds=1))  # before the period
    stored_ticket("nl", NINE + timedelta(hours=1))  # the period's end is excluded


def test_replay_takes_the_period_s_tickets_with_observed_handle_times(past_hour: None) -> None:
    # given a scenario that adds the stored agents
    scenario = scenario_parse(
        data={"include_database_agents": True, "handle_time": {"mean_minutes": 5}},
        base_dir=Path(),
    )
    # when
    replay = replay_build(scenario=scenario, start=NINE, end=NINE + timedelta(hours=1), seed=1)
    # then arrivals are seconds from the hub's midnight, in order, with observed handles
    assert [(a.time, a.language) for a in replay.arrivals] == [
        (9.25 * 3600, "nl"),
        (9.5 * 3600, "ca"),
    ]
    assert replay.arrivals[0].handle == 600.0
    assert replay.observed_handles == 1
    assert sorted(dict(a.skills) == {"es": Proficiency.FLUENT} for a in replay.agents) == [
        False,
        True,
    ]
    assert {a.capacity for a in replay.agents} == {2, 3}
    assert replay.fallbacks["ca"] == ("es", "en")


def test_simulate_command_replays_a_period_and_writes_its_report(
    past_hour: None, tmp_path: Path
) -> None:
    scenario = tmp_path / "replay.json"
    scenario.write_text(json.dumps({"include_database_agents": True}), encoding="utf-8")
    out = StringIO()

    call_command(
        "simulate", str(scenario), "--replay", "2026-03-02T09:00", "2026-03-02T10:00",
        "--out", str(tmp_path / "run"), "--no-charts", stdout=out,
    )  # fmt: skip

    report = json.loads((tmp_path / "run" / "report.json").read_text(encoding="utf-8"))
    assert report["hub"]["arrivals"] == 2
    assert report["hub"]["unassigned"] == 0
    assert report["languages"]["ca"]["fallback_share"] == 1.0  # went to the Spanish speaker
    assert report["replay"]["observed_handle_times"] == 1
    assert "report:" in out.getvalue()


def test_simulate_command_writes_table_json_and_charts_and_is_the_latest(tmp_path: Path) -> None:
    out = StringIO()

    call_command(
        "simulate", str(SCENARIOS / "small-team.yaml"), "--seed", "2",
        "--out", str(tmp_path / "run"), stdout=out,
    )  # fmt: skip

    lines = out.getvalue().splitlines()
    assert lines[0].split()[:2] == ["language", "tickets"]
    assert any(line.startswith("hub ") for line in lines)
    assert {p.name for p in (tmp_path / "run").iterdir()} == {
        "report.json",
        "queue.png",
        "wait.png",
    }
    latest = latest_report(root=tmp_path)
    assert latest is not None
    assert latest.directory == tmp_path / "run"
    assert latest.name == "Small team, a Monday"
    assert len(latest.charts) == 2
