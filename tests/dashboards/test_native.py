"""Native-language service (the hub's first figure) and honest, censored wait figures: selectors,
the JSON API and /metrics."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings

from supportdesk.api import throttling
from supportdesk.dashboards.native import first_match_by_language
from supportdesk.dashboards.selectors import hub_totals, queue_figures
from supportdesk.tickets.models import MatchRank, Ticket, TicketStatus
from tests.conftest import StaffPrincipal
from tests.dashboards.conftest import NOW, minutes
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock() -> Iterator[None]:
    throttling.counter().clear()
    with time_machine.travel(NOW, tick=False):
        yield


def routed(language: str, rank: MatchRank | None, *, created: float) -> Ticket:
    """A ticket created `created` minutes ago whose first routed agent matched with `rank`."""
    ticket: Ticket = TicketFactory(language=language)
    Ticket.objects.filter(pk=ticket.pk).update(
        created_at=minutes(created), first_match_rank=None if rank is None else rank.value
    )
    return ticket


@pytest.fixture
def matches(db: None) -> None:
    """ca: in the last hour 1 exact, 1 fallback; earlier today 2 exact; two days ago 1 fallback.
    pt-BR: in the last hour 1 same base. nl: one ticket still waiting (no first agent)."""
    routed("ca", MatchRank.EXACT, created=10)
    routed("ca", MatchRank.FALLBACK, created=30)
    routed("ca", MatchRank.EXACT, created=120)
    routed("ca", MatchRank.EXACT, created=600)
    routed("ca", MatchRank.FALLBACK, created=2 * 24 * 60)
    routed("pt-BR", MatchRank.SAME_BASE, created=5)
    routed("nl", None, created=5)


def test_first_match_counts_per_language_and_window(matches: None) -> None:
    by_language = first_match_by_language(now=NOW)

    ca = by_language["ca"]
    assert (ca.last_hour.exact, ca.last_hour.same_base, ca.last_hour.fallback) == (1, 0, 1)
    assert (ca.last_24h.exact, ca.last_24h.fallback, ca.last_24h.routed) == (3, 1, 4)
    assert ca.last_24h.native_share == pytest.approx(0.75)
    assert ca.last_24h.fallback_share == pytest.approx(0.25)
    assert by_language["pt-BR"].last_hour.native_share == 1.0
    assert by_language["pt-BR"].last_hour.exact_share == 0.0
    assert "nl" not in by_language  # a waiting ticket has no first agent yet


def test_the_hub_tile_sums_every_language(matches: None) -> None:
    queues = queue_figures(now=NOW)
    totals = hub_totals(queues=queues, now=NOW)

    hour = totals.first_match.last_hour
    assert (hour.exact, hour.same_base, hour.fallback, hour.routed) == (1, 1, 1, 3)
    assert hour.native_share == pytest.approx(2 / 3)
    assert totals.first_match.last_24h.native_share == pytest.approx(4 / 5)
    quiet = {q.language: q for q in queues}["fi"].first_match.last_24h
    assert (quiet.routed, quiet.native_share) == (0, None)


def test_queues_and_hub_api_carry_first_match(
    matches: None, manager_principal: StaffPrincipal
) -> None:
    queues = manager_principal.client.get("/api/v1/dashboard/queues/").json()
    ca = next(q for q in queues if q["language"] == "ca")["first_match"]
    hub = manager_principal.client.get("/api/v1/dashboard/hub/").json()["first_match"]

    assert ca["last_hour"] == {
        "exact": 1,
        "same_base": 0,
        "fallback": 1,
        "routed": 2,
        "exact_share": 0.5,
        "same_base_share": 0.0,
        "fallback_share": 0.5,
        "native_share": 0.5,
    }
    assert hub["last_24h"]["routed"] == 5
    assert hub["last_24h"]["native_share"] == pytest.approx(0.8)


@override_settings(DEBUG=True)
def test_metrics_expose_first_match_counts_and_the_hub_native_share(matches: None) -> None:
    text = Client(REMOTE_ADDR="127.0.0.1").get("/metrics").content.decode()

    assert (
        'supportdesk_first_match_tickets{language="ca",match="fallback",window="last_hour"} 1.0'
        in text
    )
    assert (
        'supportdesk_first_match_tickets{language="ca",match="exact",window="last_24h"} 3.0' in text
    )
    assert 'supportdesk_native_share{window="last_24h"} 0.8' in text


def test_tickets_still_waiting_move_the_median_wait(db: None) -> None:
    # given four Swedish tickets that were assigned after waiting 30 s each (solved since)
    for _ in range(4):
        ticket = routed("sv", MatchRank.EXACT, created=30)
        Ticket.objects.filter(pk=ticket.pk).update(
            status=TicketStatus.SOLVED, assigned_at=minutes(29.5)
        )
    before = {q.language: q for q in queue_figures(now=NOW)}["sv"].stats
    assert before.median_wait_seconds == pytest.approx(30)
    # when five more have been waiting for 20 minutes, nobody has taken them
    for _ in range(5):
        routed("sv", None, created=20)
    # then the median is theirs: the manager sees the queue that is not being served
    after = {q.language: q for q in queue_figures(now=NOW)}["sv"]
    assert after.waiting == 5
    assert after.stats.median_wait_seconds == pytest.approx(20 * 60)
    assert after.stats.p90_wait_seconds == pytest.approx(20 * 60)
    # and it keeps growing while they wait
    later = NOW + timedelta(minutes=10)
    with time_machine.travel(later, tick=False):
        grown = {q.language: q for q in queue_figures(now=later)}["sv"].stats
    assert grown.median_wait_seconds == pytest.approx(30 * 60)
