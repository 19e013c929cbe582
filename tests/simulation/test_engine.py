"""Hand-checkable runs of the engine: every decision through the real routing policy."""

from pathlib import Path

import pytest

from supportdesk.simulation.metrics import report_build
from supportdesk.simulation.queues import SimulationResult
from supportdesk.simulation.scenario import Scenario, scenario_parse
from supportdesk.simulation.scenario_run import scenario_simulate
from supportdesk.simulation.workload import Arrival

FIXED = {"distribution": "fixed", "mean_minutes": 100 / 60}


def scenario(agents: list[dict[str, object]], **extra: object) -> Scenario:
    data: dict[str, object] = {
        "name": "hand",
        "hours": 24,
        "drain_hours": 4,
        "sla_target_minutes": 2,
        "languages": {
            "nl": {"daily": 0, "fallbacks": ["en"]},
            "ca": {"daily": 0, "fallbacks": ["es", "en"]},
        },
        "handle_time": FIXED,
        "agents": agents,
        **extra,
    }
    return scenario_parse(data=data, base_dir=Path())


def waits(result: SimulationResult) -> list[float | None]:
    return [
        None if assigned is None else round(assigned - arrived, 3)
        for arrived, assigned in zip(result.arrival, result.first_assigned, strict=True)
    ]


def test_one_agent_with_room_for_one_serves_tickets_one_after_another() -> None:
    # given one Dutch agent with capacity 1 and tickets of 100 s arriving every 10 s
    hub = scenario([{"group": "solo", "count": 1, "capacity": 1, "skills": {"nl": "native"}}])
    arrivals = [Arrival(t, "nl", 100.0) for t in (0.0, 10.0, 20.0)]
    # when
    result = scenario_simulate(scenario=hub, seed=1, arrivals=arrivals)
    # then each waits for the one before it to finish
    assert waits(result) == [0.0, 90.0, 180.0]
    report = report_build(result=result, sla_target_seconds=120, meta={})
    hub_figures = report["hub"]
    assert isinstance(hub_figures, dict)
    assert hub_figures["sla_attainment"] == pytest.approx(2 / 3)
    assert hub_figures["peak_queue"] == 2
    assert hub_figures["occupancy"] == pytest.approx(300 / (28 * 3600))


def test_the_lighter_agent_gets_the_ticket_and_capacity_is_shared() -> None:
    hub = scenario([{"group": "pair", "count": 2, "capacity": 2, "skills": {"nl": "native"}}])
    arrivals = [Arrival(float(t), "nl", 100.0) for t in range(5)]

    result = scenario_simulate(scenario=hub, seed=1, arrivals=arrivals)

    # four slots: four start at once, the fifth waits for the first to finish at t=100
    assert waits(result) == [0.0, 0.0, 0.0, 0.0, 96.0]
    assert sorted(a.assigned for a in result.agents) == [2, 3]


def test_nobody_speaks_catalan_so_every_catalan_ticket_goes_to_a_fallback_speaker() -> None:
    hub = scenario([{"group": "es", "count": 1, "capacity": 5, "skills": {"es": "native"}}])
    arrivals = [Arrival(float(t), "ca", 60.0) for t in range(0, 600, 100)]

    report = report_build(
        result=scenario_simulate(scenario=hub, seed=1, arrivals=arrivals),
        sla_target_seconds=120,
        meta={},
    )

    languages = report["languages"]
    assert isinstance(languages, dict)
    assert languages["ca"]["fallback_share"] == 1.0
    assert languages["ca"]["wait_seconds"]["max"] == 0.0  # nobody close is on: no waiting


CATALAN_AND_SPANISH = [
    {"group": "ca", "count": 1, "capacity": 1, "skills": {"ca": "native"}},
    {"group": "es", "count": 1, "capacity": 1, "skills": {"es": "native"}},
]


@pytest.mark.parametrize(
    ("policy", "handle_minutes", "second_wait"),
    [
        # the old rule: the fallback wait, whatever the Catalan speaker is doing
        pytest.param({"mode": "old"}, 100 / 60, 300.001, id="old"),
        # language_first, Catalan tickets take 10 minutes: no slot expected within the grace
        pytest.param({}, 10, 300.001, id="speaker-not-free-soon"),
        # language_first, Catalan tickets take 100 s: the policy waits for the speaker (it
        # is wrong: this one takes 1000 s) until the ticket has aged — nothing starves
        pytest.param({"aging_after_seconds": 600}, 100 / 60, 600.001, id="aged"),
    ],
)
def test_a_fallback_speaker_waits_while_a_close_speaker_is_online_but_full(
    policy: dict[str, object], handle_minutes: float, second_wait: float
) -> None:
    # given a Catalan agent busy for 1000 s and a free Spanish agent
    hub = scenario(
        CATALAN_AND_SPANISH,
        policy={"fallback_after_seconds": 300, **policy},
        handle_time={"distribution": "fixed", "mean_minutes": handle_minutes},
    )
    arrivals = [Arrival(0.0, "ca", 1000.0), Arrival(10.0, "ca", 50.0)]
    # when
    result = scenario_simulate(scenario=hub, seed=1, arrivals=arrivals)
    # then the second waits, then the Spanish speaker takes it
    assert waits(result) == [0.0, second_wait]
    assert result.fallback == [False, True]


def test_language_first_gives_a_ticket_to_its_speaker_who_frees_a_slot_within_the_grace() -> None:
    # given a Catalan agent busy for 350 s (tickets take 100 s as far as the policy knows)
    hub = scenario(CATALAN_AND_SPANISH, policy={"fallback_after_seconds": 300})
    arrivals = [Arrival(0.0, "ca", 350.0), Arrival(10.0, "ca", 50.0)]
    # when
    result = scenario_simulate(scenario=hub, seed=1, arrivals=arrivals)
    # then the second is served natively when the Catalan speaker is free, not by fallback
    assert waits(result) == [0.0, 340.0]
    assert result.fallback == [False, False]


def test_a_ticket_waits_for_the_first_shift_of_the_day() -> None:
    hub = scenario(
        [
            {
                "group": "day",
                "count": 1,
                "capacity": 1,
                "skills": {"nl": "native"},
                "shift": {"start": "08:00", "end": "16:00"},
            }
        ]
    )
    result = scenario_simulate(scenario=hub, seed=1, arrivals=[Arrival(7 * 3600.0, "nl", 60.0)])

    assert waits(result) == [3600.0]


def test_tickets_held_by_an_agent_who_left_are_reclaimed_and_keep_their_place() -> None:
    # given an early agent leaving at 08:00 with a long ticket, a late one from 08:00
    hub = scenario(
        [
            {
                "group": "early",
                "count": 1,
                "capacity": 1,
                "skills": {"nl": "native"},
                "shift": {"start": "06:00", "end": "08:00"},
            },
            {
                "group": "late",
                "count": 1,
                "capacity": 1,
                "skills": {"nl": "native"},
                "shift": {"start": "08:00", "end": "16:00"},
            },
        ],
        policy={"reclaim_after_seconds": 600},
    )
    long_one = Arrival(7.5 * 3600, "nl", 3 * 3600.0)
    newer = Arrival(7.9 * 3600, "nl", 10 * 60.0)
    # when
    result = scenario_simulate(scenario=hub, seed=1, arrivals=[long_one, newer])
    # then the newer ticket goes to the late agent at 08:00; at 08:10 the long one is
    # reclaimed and waits for the late agent again (first assignment unchanged)
    assert waits(result) == [0.0, 360.0]
    assert result.reclaims == [1, 0]
    late = next(a for a in result.agents if a.group == "late")
    assert late.assigned == 2
