"""What publishing logs when a message cannot leave or an eager task fails after the commit:
the task's name and what went wrong, never the task's arguments (subjects, e-mail addresses)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from celery import current_app

from supportdesk.core.publishing import publish_on_commit
from tests.routing.conftest import publishing_to

pytestmark = pytest.mark.django_db

ADDRESS = "sanne.devries@example.nl"
SUBJECT = "Mijn bestelling 4411 is niet aangekomen"
FAILING = "tests.core.fails_with_its_arguments"


@current_app.task(name=FAILING)
def fails_with_its_arguments(subject: str, address: str) -> None:
    """A task whose error message carries its arguments (as e-mail header errors do)."""
    raise ValueError(f"cannot send {subject!r} to {address}")


def assert_nothing_personal(records: list[logging.LogRecord]) -> None:
    assert records, "something was logged"
    for record in records:
        logged = [record.getMessage(), repr(record.args), str(record.exc_text or "")]
        if record.exc_info:
            logged.append(logging.Formatter().formatException(record.exc_info))
        for text in logged:
            assert ADDRESS not in text
            assert SUBJECT not in text


def test_a_message_the_broker_did_not_take_is_logged_without_its_arguments(
    django_capture_on_commit_callbacks: Callable[..., object], caplog: pytest.LogCaptureFixture
) -> None:
    # given a broker that is down
    with (
        publishing_to("redis://127.0.0.1:1/0"),
        caplog.at_level(logging.WARNING),
        django_capture_on_commit_callbacks(execute=True),
    ):
        # when a task with a subject and an address is published after the commit
        publish_on_commit("notifications.notify_managers", SUBJECT, ADDRESS)
    # then the warning names the task and the reason, and nothing of the arguments
    assert "notifications.notify_managers not published (broker unavailable" in caplog.text
    assert_nothing_personal(caplog.records)


def test_an_eager_task_failing_after_the_commit_is_logged_without_its_arguments(
    django_capture_on_commit_callbacks: Callable[..., object], caplog: pytest.LogCaptureFixture
) -> None:
    # given the embedded eager mode (the test settings) and a task that fails with its arguments
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        # when it runs after the commit
        publish_on_commit(FAILING, SUBJECT, ADDRESS)
    # then the failure is logged (the committed change stands), named, with where it failed
    assert f"{FAILING} failed after the commit (ValueError)" in caplog.text
    assert "fails_with_its_arguments" in caplog.text  # the traceback's frames are kept
    assert_nothing_personal(caplog.records)
