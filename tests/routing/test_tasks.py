"""Tasks, schedule and nudges: the beat schedule is what beat and run_periodic run; a broker
that is down never fails the change that committed."""

import logging
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from config.celery import app as celery_app
from supportdesk.routing.nudges import route_ticket_on_commit, routing_queue
from supportdesk.routing.tasks import fill_agent_task, route_ticket_task, sweep_task
from supportdesk.tickets.models import Ticket, TicketStatus
from tests.factories import AgentFactory, TicketFactory
from tests.routing.conftest import publishing_to

pytestmark = pytest.mark.django_db


def test_tasks_are_thin_and_report_their_outcome() -> None:
    agent = AgentFactory(skills=["sv"], capacity=1)
    first, second = TicketFactory(language="sv"), TicketFactory(language="sv")
    assert route_ticket_task.apply(args=(first.id,)).get() == "assigned"
    assert route_ticket_task.apply(args=(first.id,)).get() == "not-routable"
    assert route_ticket_task.apply(args=(second.id,)).get() == "waiting"
    assert fill_agent_task.apply(args=(agent.id,)).get() == 0
    assert sweep_task.apply().get() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_beat_schedule_is_what_the_database_scheduler_runs() -> None:
    # given the static schedule of config/celery.py
    schedule = celery_app.conf.beat_schedule
    assert schedule["routing-sweep"]["task"] == "routing.sweep"
    assert schedule["routing-sweep"]["schedule"] == timedelta(seconds=10)
    # when django-celery-beat's DatabaseScheduler starts
    DatabaseScheduler(app=celery_app)
    # then it has copied the entries into its rows
    sweep = PeriodicTask.objects.get(name="routing-sweep")
    assert (sweep.task, sweep.interval.every, sweep.interval.period) == (
        "routing.sweep",
        10,
        "seconds",
    )
    assert PeriodicTask.objects.get(name="routing-reconcile").task == "routing.reconcile"


def test_run_periodic_runs_the_schedule_in_process_until_its_bound() -> None:
    # given a waiting ticket that only a sweep would route (no message was sent)
    AgentFactory(skills=["fi"])
    ticket = TicketFactory(language="fi")
    # when the embedded periodic runner runs for a moment
    call_command("run_periodic", "--seconds", "0.2")
    # then the sweep ran
    assert Ticket.objects.get(id=ticket.id).status == TicketStatus.OPEN


def test_a_broker_that_is_down_is_logged_not_raised(
    django_capture_on_commit_callbacks: Callable[..., object], caplog: pytest.LogCaptureFixture
) -> None:
    ticket = TicketFactory(language="nl")
    with (
        publishing_to("redis://127.0.0.1:1/0"),
        caplog.at_level(logging.WARNING, logger="supportdesk.core.publishing"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        route_ticket_on_commit(ticket_id=ticket.id, language="nl")
    assert "not published" in caplog.text
    assert Ticket.objects.get(id=ticket.id).status == TicketStatus.NEW  # the sweep's job now


def test_per_language_routing_queues_match_the_tag_or_its_primary_subtag() -> None:
    saved = celery_app.conf.routing_queues_by_language
    celery_app.conf.routing_queues_by_language = {"pt": "routing-latam", "ja": "routing-apac"}
    try:
        assert routing_queue("pt-BR") == "routing-latam"
        assert routing_queue("ja") == "routing-apac"
        assert routing_queue("nl") is None
    finally:
        celery_app.conf.routing_queues_by_language = saved
