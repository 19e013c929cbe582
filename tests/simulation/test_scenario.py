"""The shipped scenarios load, and a broken scenario says what is wrong."""

import json
import re
from pathlib import Path

import pytest

from supportdesk.simulation.metrics import report_build
from supportdesk.simulation.scenario import Scenario, ScenarioError, scenario_load, scenario_parse
from supportdesk.simulation.scenario_run import scenario_simulate
from supportdesk.simulation.workload import agents_expand, arrivals_generate

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_the_amsterdam_hub_has_400_agents_and_every_seeded_language() -> None:
    hub = scenario_load(path=SEEDS / "scenarios" / "amsterdam-hub.yaml")
    seeded = {entry["tag"]: tuple(entry["fallbacks"]) for entry in json.loads(
        (SEEDS / "languages.json").read_text(encoding="utf-8")
    )}  # fmt: skip

    assert len(agents_expand(scenario=hub)) == 400
    assert {tag: spec.fallbacks for tag, spec in hub.languages.items()} == seeded
    expected = sum(sum(spec.hourly_rates) for spec in hub.languages.values())
    assert 95_000 <= expected <= 105_000


def test_the_night_desk_roster_is_the_same_hub_with_a_speaker_of_every_language_at_3am() -> None:
    hub = scenario_load(path=SEEDS / "scenarios" / "amsterdam-hub.yaml")
    desk = scenario_load(path=SEEDS / "scenarios" / "amsterdam-hub-night-desk.yaml")
    three_am = 3 * 3600.0

    def spoken_at_3am(scenario: Scenario) -> set[str]:
        return {
            tag
            for agent in agents_expand(scenario=scenario)
            if any(start <= three_am < end for start, end in agent.intervals)
            for tag in agent.skills
        }

    assert len(agents_expand(scenario=desk)) == len(agents_expand(scenario=hub)) == 400
    assert desk.languages == hub.languages
    assert "pl" not in spoken_at_3am(hub)
    european = {"it", "pt-PT", "pl", "sv", "da", "nb", "fi", "tr", "ar", "he", "el", "cs", "hu"}
    assert european | {"ro", "ru", "uk", "ca"} <= spoken_at_3am(desk)


def test_night_shifts_and_remote_time_zones_become_intervals_of_the_hub_day() -> None:
    hub = scenario_load(path=SEEDS / "scenarios" / "small-team.yaml")
    by_group = {a.group: a.intervals for a in agents_expand(scenario=hub)}
    # New York 16:00-00:30 (EST, UTC-5) is 22:00-06:30 in Amsterdam (CET, UTC+1):
    # the previous evening's shift until 06:30, tonight's from 22:00
    assert by_group["en-remote-night"] == ((0.0, 6.5 * 3600), (22 * 3600.0, 28 * 3600.0))


def test_same_seed_gives_the_same_report_and_another_seed_another() -> None:
    hub = scenario_load(path=SEEDS / "scenarios" / "small-team.yaml")

    def run(seed: int) -> dict[str, object]:
        result = scenario_simulate(scenario=hub, seed=seed)
        return report_build(result=result, sla_target_seconds=hub.sla_target_seconds, meta={})

    first, again, other = run(7), run(7), run(8)
    assert json.dumps(first) == json.dumps(again)
    assert first["hub"] != other["hub"]


def test_editing_the_agents_replays_exactly_the_same_tickets() -> None:
    hub = scenario_load(path=SEEDS / "scenarios" / "small-team.yaml")
    fewer = scenario_parse(
        data={**_raw("small-team.yaml"), "agents": _raw("small-team.yaml")["agents"][:2]},
        base_dir=SEEDS / "scenarios",
    )
    same = [(a.time, a.language, a.handle) for a in arrivals_generate(scenario=hub, seed=3)]
    assert same == [
        (a.time, a.language, a.handle) for a in arrivals_generate(scenario=fewer, seed=3)
    ]


def _raw(name: str) -> dict[str, list[object]]:
    import yaml

    data: dict[str, list[object]] = yaml.safe_load(
        (SEEDS / "scenarios" / name).read_text(encoding="utf-8")
    )
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"agentz": []}, "unknown field(s) agentz", id="typo"),
        pytest.param(
            {"agents": [{"count": 1, "skills": {"nl": "expert"}}]},
            "agents[0].skills.nl: proficiency must be native, fluent or basic",
            id="proficiency",
        ),
        pytest.param({"languages": {"nl": {"hourly": [1, 2]}}}, "24 numbers", id="hourly"),
        pytest.param({"timezone": "Mars/Olympus"}, "unknown time zone", id="zone"),
        pytest.param(
            {"agents": [{"skills": {"nl": "native"}, "shift": {"start": "25:00", "end": "1"}}]},
            "agents[0].shift.start must be a time of day",
            id="shift",
        ),
    ],
)
def test_a_broken_scenario_names_what_is_wrong(data: dict[str, object], message: str) -> None:
    with pytest.raises(ScenarioError, match=re.escape(message)):
        scenario_parse(data=data, base_dir=Path())
