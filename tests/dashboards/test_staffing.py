"""Erlang C against values computed by hand and by an independent closed form.

The textbook case (10 calls a minute, 3-minute handle time → 30 Erlangs, 20-second target) is
checked against the closed form with factorials in exact rational arithmetic, which shares no
code with the module's Erlang B recursion:

    C(N, A) = (A^N / N!) · N/(N-A)  /  ( Σ_{k<N} A^k/k!  +  (A^N / N!) · N/(N-A) )

Values for A = 30 (as in the usual Erlang C tables): N = 33 → P(wait) ≈ 0.4905, service level
at 20 s ≈ 64.9 %, ASA ≈ 29.4 s; the smallest N reaching 80 % in 20 s is 35 (83.7 %).
"""

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supportdesk.dashboards import staffing
from supportdesk.dashboards.expressions import percentile_cont

RATE = 10 / 60  # calls per second
HANDLE = 180.0  # seconds


def closed_form_erlang_c(traffic: int, servers: int) -> Fraction:
    a = Fraction(traffic)
    top = a**servers / math.factorial(servers) * Fraction(servers, servers - traffic)
    bottom = sum(a**k / math.factorial(k) for k in range(servers)) + top
    return top / bottom


def test_textbook_case_30_erlangs_33_agents() -> None:
    figures = staffing.evaluate(
        rate_per_second=RATE, handle_seconds=HANDLE, servers=33, target_seconds=20
    )

    exact = float(closed_form_erlang_c(30, 33))
    assert figures.traffic_erlangs == pytest.approx(30)
    assert figures.probability_wait == pytest.approx(exact, rel=1e-12)
    assert figures.probability_wait == pytest.approx(0.4905, abs=5e-5)
    assert figures.service_level == pytest.approx(1 - exact * math.exp(-3 * 20 / 180), rel=1e-12)
    assert figures.service_level == pytest.approx(0.6485, abs=5e-5)
    assert figures.average_speed_of_answer_seconds == pytest.approx(exact * 180 / 3, rel=1e-12)
    assert figures.occupancy == pytest.approx(30 / 33)


def test_smallest_staff_for_80_percent_in_20_seconds_is_35() -> None:
    needed = staffing.servers_needed(
        rate_per_second=RATE, handle_seconds=HANDLE, target_seconds=20, target_level=0.8
    )

    assert needed.servers == 35
    assert needed.service_level == pytest.approx(0.8367, abs=5e-5)
    one_fewer = staffing.evaluate(
        rate_per_second=RATE, handle_seconds=HANDLE, servers=34, target_seconds=20
    )
    assert one_fewer.service_level < 0.8


@pytest.mark.parametrize(
    ("traffic", "servers", "expected"),
    [
        pytest.param(0.5, 1, 0.5, id="M/M/1: P(wait) = utilisation"),
        pytest.param(1.0, 2, 1 / 3, id="M/M/2 at A=1: 1/3 by hand"),
        pytest.param(2.0, 2, 1.0, id="unstable: everyone waits"),
        pytest.param(0.0, 3, 0.0, id="no traffic"),
    ],
)
def test_erlang_c_hand_values(traffic: float, servers: int, expected: float) -> None:
    assert staffing.erlang_c(traffic=traffic, servers=servers) == pytest.approx(expected)


def test_erlang_b_recursion_matches_its_definition() -> None:
    # B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2
    assert staffing.erlang_b(traffic=1.0, servers=2) == pytest.approx(0.2)


def test_unstable_and_empty_queues_have_no_finite_wait() -> None:
    assert staffing.average_speed_of_answer(traffic=3, servers=2, handle_seconds=60) == math.inf
    assert staffing.service_level(traffic=3, servers=2, handle_seconds=60, target_seconds=20) == 0
    assert staffing.service_level(traffic=0, servers=0, handle_seconds=60, target_seconds=20) == 1
    none = staffing.servers_needed(
        rate_per_second=0, handle_seconds=60, target_seconds=20, target_level=0.9
    )
    assert (none.servers, none.service_level, none.occupancy) == (0, 1.0, 0.0)


def test_large_centre_is_computed_quickly_and_stably() -> None:
    # 2 tickets a second held an hour each: 7,200 Erlangs; factorials would overflow
    needed = staffing.servers_needed(
        rate_per_second=2, handle_seconds=3600, target_seconds=60, target_level=0.9
    )
    assert 7200 < needed.servers < 7400
    assert 0.9 <= needed.service_level < 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"target_level": 1.0},
        {"target_level": 0.0},
        {"target_level": float("nan")},
        {"handle_seconds": 0.0},
        {"rate_per_second": -1.0},
        {"target_seconds": -1.0},
    ],
)
def test_invalid_targets_raise(kwargs: dict[str, float]) -> None:
    args = {
        "rate_per_second": 1.0,
        "handle_seconds": 60.0,
        "target_seconds": 20.0,
        "target_level": 0.8,
    }
    with pytest.raises(ValueError, match="must"):
        staffing.servers_needed(**(args | kwargs))


def test_agents_for_servers_rounds_up_slots_to_whole_agents() -> None:
    assert staffing.agents_for_servers(servers=35, capacity_per_agent=5) == 7
    assert staffing.agents_for_servers(servers=36, capacity_per_agent=5) == 8
    assert staffing.agents_for_servers(servers=0, capacity_per_agent=4.5) == 0
    with pytest.raises(ValueError, match="capacity"):
        staffing.agents_for_servers(servers=3, capacity_per_agent=0)


@given(
    traffic=st.floats(min_value=0.1, max_value=200),
    extra=st.integers(min_value=1, max_value=50),
    target=st.floats(min_value=0, max_value=600),
)
def test_more_servers_never_lower_the_service_level(
    traffic: float, extra: int, target: float
) -> None:
    servers = math.floor(traffic) + extra
    level = staffing.service_level(
        traffic=traffic, servers=servers, handle_seconds=120, target_seconds=target
    )
    more = staffing.service_level(
        traffic=traffic, servers=servers + 1, handle_seconds=120, target_seconds=target
    )
    assert 0 <= level <= more <= 1 + 1e-12


def test_percentile_cont_interpolates_like_postgresql() -> None:
    assert percentile_cont([60, 120, 600], 0.5) == 120
    assert percentile_cont([60, 120, 600], 0.9) == pytest.approx(504)
    assert percentile_cont([7.0], 0.9) == 7.0
    assert percentile_cont([], 0.5) is None
