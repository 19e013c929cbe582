"""The engine against queueing theory: an M/M/N pool must agree with Erlang C.

One language, Poisson arrivals, exponential handle times, N agents with room for one ticket:
exactly the M/M/N queue of supportdesk.dashboards.staffing. The run is long (about 100,000
tickets); the tolerance comes from the run itself: the tickets are cut into consecutive
batches, whose means are nearly independent, and the simulated figure must lie within four
standard errors of the batch means from the theory.
"""

import math
import statistics
from pathlib import Path

from supportdesk.dashboards.staffing import average_speed_of_answer, erlang_c
from supportdesk.simulation.scenario import scenario_parse
from supportdesk.simulation.scenario_run import scenario_simulate

SERVERS = 8
HANDLE_SECONDS = 60.0
ARRIVALS_PER_HOUR = 360.0  # 0.1 per second: 6 Erlangs on 8 servers, occupancy 75 %
HOURS = 280
BATCHES = 25
WARM_UP = 0.02  # share of the tickets dropped while the empty system fills


def batch_means(values: list[float]) -> tuple[float, float]:
    """Mean and its standard error from `BATCHES` consecutive batches."""
    size = len(values) // BATCHES
    means = [statistics.fmean(values[i * size : (i + 1) * size]) for i in range(BATCHES)]
    return statistics.fmean(means), statistics.stdev(means) / math.sqrt(BATCHES)


def test_mean_wait_and_probability_of_waiting_agree_with_erlang_c() -> None:
    # given an M/M/8 pool at 6 Erlangs
    pool = scenario_parse(
        data={
            "hours": HOURS,
            "drain_hours": 1,
            "languages": {
                "nl": {
                    "hourly": [ARRIVALS_PER_HOUR] * 24,
                    "fallbacks": [],
                    "handle_time": {
                        "distribution": "exponential",
                        "mean_minutes": HANDLE_SECONDS / 60,
                    },
                }
            },
            "agents": [{"count": SERVERS, "capacity": 1, "skills": {"nl": "native"}}],
        },
        base_dir=Path(),
    )
    # when
    result = scenario_simulate(scenario=pool, seed=2026)
    # then
    waits = [
        assigned - arrived
        for arrived, assigned in zip(result.arrival, result.first_assigned, strict=True)
        if assigned is not None
    ]
    assert len(waits) == len(result.arrival) > 90_000
    waits = waits[int(len(waits) * WARM_UP) :]
    traffic = ARRIVALS_PER_HOUR / 3600 * HANDLE_SECONDS
    expected_wait = average_speed_of_answer(
        traffic=traffic, servers=SERVERS, handle_seconds=HANDLE_SECONDS
    )
    expected_share = erlang_c(traffic=traffic, servers=SERVERS)
    mean_wait, wait_error = batch_means(waits)
    share, share_error = batch_means([1.0 if w > 0 else 0.0 for w in waits])
    assert wait_error < 0.1 * expected_wait  # the run is long enough to mean something
    assert abs(mean_wait - expected_wait) < 4 * wait_error, (mean_wait, expected_wait, wait_error)
    assert abs(share - expected_share) < 4 * share_error, (share, expected_share, share_error)
