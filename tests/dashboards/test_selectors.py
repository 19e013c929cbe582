"""Dashboard figures on PostgreSQL against the hand-built hub of conftest.py (known answers)."""

import math
from datetime import timedelta

import pytest
from pytest_django import DjangoAssertNumQueries

from supportdesk.dashboards import staffing
from supportdesk.dashboards.advice import staffing_advice
from supportdesk.dashboards.agents import agent_figures
from supportdesk.dashboards.selectors import QueueFigures, hub_totals, queue_figures
from supportdesk.dashboards.series import event_counts, hourly_flow, queue_depths, sla_figures
from supportdesk.dashboards.waits import wait_distribution
from supportdesk.languages.selectors import enabled_tags
from tests.dashboards.conftest import NOW, Hub

pytestmark = pytest.mark.django_db


def by_language(figures: list[QueueFigures]) -> dict[str, QueueFigures]:
    return {f.language: f for f in figures}


def test_live_queue_figures_per_language(hub: Hub) -> None:
    nl = by_language(queue_figures(now=NOW))["nl"]

    assert nl.waiting == 3
    assert nl.oldest_wait_seconds == 600
    assert nl.assigned_open == 2
    assert nl.at_risk == 2  # W1 (new, due in 5 min) and O2 (open, due in 10 min)
    assert nl.breached == 1  # W2
    assert nl.arrivals_last_hour == 5  # W1, W2, W3, O1, O2
    assert nl.solved_last_hour == 1  # S1


def test_agents_online_count_only_fresh_online_speakers_and_their_free_slots(hub: Hub) -> None:
    figures = by_language(queue_figures(now=NOW))

    # nl: a1 (3 free) and a2 (full); a3 is offline
    assert (figures["nl"].agents_online, figures["nl"].free_capacity) == (2, 3)
    # de: a2 only; a4 is online but was last seen 10 minutes ago
    assert (figures["de"].agents_online, figures["de"].free_capacity) == (1, 0)
    # pt-BR: served by the pt-PT speaker a5 (same primary language)
    assert (figures["pt-BR"].agents_online, figures["pt-BR"].free_capacity) == (1, 5)


def test_wait_percentiles_and_sla_attainment_over_the_window(hub: Hub) -> None:
    stats = by_language(queue_figures(now=NOW))["nl"].stats

    # waits to assignment in the last 24 h: 60, 120, 600 s; still waiting now (censored at
    # now): W1 600 s, W2 240 s, W3 120 s → 60, 120, 120, 240, 600, 600
    assert stats.median_wait_seconds == pytest.approx(180)
    assert stats.p90_wait_seconds == pytest.approx(600)
    # first responses in the last 24 h: 1200 s (O1) and 3600 s (S1)
    assert stats.median_first_response_seconds == pytest.approx(2400)
    assert stats.p90_first_response_seconds == pytest.approx(1200 + 0.9 * 2400)
    # decided deadlines: O1 met, W2 and S1 missed; W1 and O2 not yet due
    assert stats.first_response_sla_attainment == pytest.approx(1 / 3)


def test_a_short_window_leaves_out_older_tickets(hub: Hub) -> None:
    stats = by_language(queue_figures(now=NOW, window=timedelta(minutes=45)))["nl"].stats

    # O1 600 s and O2 60 s, with the three still waiting: 60, 120, 240, 600, 600
    assert stats.median_wait_seconds == pytest.approx(240)
    # decided deadlines of tickets created in the last 45 min: only W2, missed
    assert stats.first_response_sla_attainment == pytest.approx(0.0)
    # created in the last 3 min: only W3, without a deadline
    recent = by_language(queue_figures(now=NOW, window=timedelta(minutes=3)))["nl"].stats
    assert recent.first_response_sla_attainment is None
    # nobody was assigned in the last 3 min, but three tickets are waiting: 120, 240, 600 s
    assert recent.median_wait_seconds == pytest.approx(240)


def test_every_enabled_language_is_listed_in_order_even_when_quiet(hub: Hub) -> None:
    figures = queue_figures(now=NOW)

    assert [f.language for f in figures][: len(enabled_tags())] == enabled_tags()
    quiet = by_language(figures)["fi"]
    assert (quiet.waiting, quiet.oldest_wait_seconds, quiet.stats.median_wait_seconds) == (
        0,
        None,
        None,
    )


def test_hub_totals_count_each_agent_once(hub: Hub) -> None:
    totals = hub_totals(queues=queue_figures(now=NOW), now=NOW)

    assert (totals.waiting, totals.assigned_open, totals.at_risk, totals.breached) == (4, 2, 2, 1)
    assert totals.oldest_wait_seconds == 600
    assert (totals.agents_online, totals.capacity_online, totals.free_capacity) == (3, 14, 8)
    assert (totals.arrivals_last_hour, totals.solved_last_hour) == (6, 1)
    # 60, 120, 600 assigned; 600, 240, 120 (nl) and 60 (de) still waiting
    assert totals.stats.median_wait_seconds == pytest.approx(120)
    assert totals.stats.p90_wait_seconds == pytest.approx(600)
    assert totals.stats.first_response_sla_attainment == pytest.approx(1 / 3)


def test_agent_figures(hub: Hub) -> None:
    figures = {f.id: f for f in agent_figures(now=NOW)}

    a1, a2 = figures[hub.a1.id], figures[hub.a2.id]
    assert (a1.load, a1.capacity, a1.languages, a1.solved_today) == (2, 5, ("nl",), 0)
    assert a1.median_first_response_seconds == pytest.approx(600)  # O1: assigned → answered
    assert (a2.languages, a2.solved_today) == (("de", "nl"), 1)
    assert a2.median_first_response_seconds == pytest.approx(3480)  # S1
    assert figures[hub.a3.id].median_first_response_seconds is None
    assert not figures[hub.a4.id].available  # stale
    assert [f.available for f in agent_figures(now=NOW)] == [True, True, True, False, False]


def test_sla_figures_and_hourly_trend(hub: Hub) -> None:
    sla = sla_figures(now=NOW)

    assert (sla.at_risk, sla.breached, sla.met, sla.decided) == (2, 1, 1, 3)
    assert len(sla.trend) == 24
    assert sla.trend[-1].hour == NOW.replace(minute=0)
    assert (sla.trend[-1].due, sla.trend[-1].met) == (2, 1)  # 10:00-11:00: O1 met, W2 missed
    assert (sla.trend[-3].due, sla.trend[-3].met, sla.trend[-3].attainment) == (1, 0, 0.0)  # S1
    assert sla.trend[0].attainment is None


def test_hourly_flow_counts_arrivals_and_solved_per_hour(hub: Hub) -> None:
    flow = hourly_flow(now=NOW)
    nl = {s.language: s for s in flow.by_language}["nl"]

    assert flow.hours[-1] == NOW.replace(minute=0)
    assert nl.arrivals[-1] == 4  # W1, W2, W3, O2 (10:00-10:30)
    assert nl.arrivals[-2] == 1  # O1 at 09:40
    assert nl.arrivals[-4] == 1  # S1 at 07:30
    assert nl.solved[-1] == 1
    assert flow.total.arrivals[-1] == 5  # with the de ticket
    assert sum(flow.total.arrivals) == 7  # S2 is three days old


def test_wait_distribution_buckets(hub: Hub) -> None:
    distribution = wait_distribution(now=NOW)

    # assigned 60, 120 | 600 s; still waiting 120, 240 | 600 s (nl) and 60 s (de)
    assert distribution.by_language["nl"] == (0, 4, 2, 0, 0, 0, 0)
    assert distribution.total == (0, 5, 2, 0, 0, 0, 0)


def test_metrics_selectors(hub: Hub) -> None:
    depths = {d.language: d for d in queue_depths(now=NOW)}

    assert (depths["nl"].waiting, depths["nl"].oldest_wait_seconds) == (3, 600.0)
    assert (depths["de"].waiting, depths["de"].oldest_wait_seconds) == (1, 60.0)
    assert isinstance(event_counts(), dict)


def test_staffing_advice_uses_observed_rate_and_handle_time(hub: Hub) -> None:
    advice = {a.language: a for a in staffing_advice(target_seconds=60, target_level=0.8, now=NOW)}

    nl = advice["nl"]
    handle = (178 - 20) * 60  # S1: assigned 178 min ago, solved 20 min ago
    assert nl.arrivals_per_hour == pytest.approx(5)
    assert nl.mean_handle_seconds == pytest.approx(handle)
    expected = staffing.servers_needed(
        rate_per_second=5 / 3600, handle_seconds=handle, target_seconds=60, target_level=0.8
    )
    assert nl.needed == expected
    assert nl.agents_needed == math.ceil(expected.servers / 4.5)  # a1 (5) and a2 (4) online
    assert (nl.agents_online, nl.slots_online) == (2, 9)
    # de: one arrival, no handle time observed yet → no advice rather than a guess
    assert advice["de"].needed is None
    # quiet language: nobody needed
    assert advice["fi"].needed is not None
    assert (advice["fi"].needed.servers, advice["fi"].agents_needed) == (0, 0)


def test_queue_figures_take_a_fixed_number_of_queries(
    hub: Hub, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(6):  # five grouped queries + the first-match counts
        queue_figures(now=NOW)
    with django_assert_max_num_queries(3):
        agent_figures(now=NOW)
