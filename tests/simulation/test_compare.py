"""`simulate SCENARIO --compare`: both routing policies on the same tickets, side by side."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from supportdesk.simulation.compare import compare_build, compare_format
from supportdesk.simulation.metrics import report_build
from supportdesk.simulation.scenario_run import scenario_simulate
from supportdesk.simulation.workload import Arrival
from tests.simulation.test_engine import scenario

ROOT = Path(__file__).resolve().parents[2]


def test_compare_runs_both_policies_on_the_same_tickets_and_writes_json(tmp_path: Path) -> None:
    # given the small-team scenario (nobody speaks Catalan)
    out = StringIO()
    # when it is compared
    call_command(
        "simulate",
        str(ROOT / "seeds/scenarios/small-team.yaml"),
        "--compare",
        "--no-charts",
        "--out",
        str(tmp_path),
        stdout=out,
    )
    # then both policies are in the table, the JSON and their own report
    comparison = json.loads((tmp_path / "compare.json").read_text(encoding="utf-8"))
    assert comparison["policies"] == ["old", "language_first"]
    for name in comparison["policies"]:
        assert (tmp_path / name / "report.json").exists()
        hub = comparison["hub"][name]
        assert sum(hub["served"].values()) == pytest.approx(1.0)
        assert hub["native_share"] == pytest.approx(1 - hub["served"]["fallback"])
        assert 0 < hub["occupancy"] < 1
    old, new = (comparison["hub"][name] for name in comparison["policies"])
    assert old["arrivals"] == new["arrivals"]  # the same tickets
    assert comparison["languages"]["ca"]["old"]["served"]["fallback"] == 1.0
    assert new["fallback_share"] <= old["fallback_share"]
    text = out.getvalue()
    assert text.count("language_first") >= 6  # the hub, its occupancy, 5 languages
    assert "compare.json" in text


def test_the_served_shares_say_whom_the_first_assignment_went_to() -> None:
    # given a Dutch agent with one slot (English as a fallback for Dutch: an English agent)
    hub = scenario(
        [
            {"group": "nl", "count": 1, "capacity": 1, "skills": {"nl": "native"}},
            {"group": "en", "count": 1, "capacity": 1, "skills": {"en": "native"}},
        ],
        policy={"mode": "old"},
    )
    # when three Dutch tickets arrive at once (100 s each: the Dutch agent is busy 300 s)
    arrivals = [Arrival(0.0, "nl", 100.0), Arrival(1.0, "nl", 100.0), Arrival(2.0, "nl", 100.0)]
    result = scenario_simulate(scenario=hub, seed=1, arrivals=arrivals)
    report = report_build(result=result, sla_target_seconds=120, meta={})
    comparison = compare_build(reports={"old": report}, meta={})
    # then the first went to the Dutch speaker; the others waited for it (100 s < 300 s)
    served = comparison["hub"]["old"]["served"]
    assert served == {"exact": 1.0, "same_base": 0.0, "fallback": 0.0}
    assert "100.0%" in compare_format(comparison)
