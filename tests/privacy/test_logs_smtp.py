"""An SMTP server that refuses the customer's address: the failure is retried, and logged by
the worker, without the address (smtplib puts it in its exception, which Celery logs)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from smtplib import SMTPException

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from celery.exceptions import Retry
from django.test import override_settings

from supportdesk.notifications.models import EmailDelivery
from supportdesk.notifications.tasks import send_ticket_email_task
from tests.factories import TicketFactory
from tests.notifications.conftest import free_port
from tests.privacy.conftest import EMAIL

pytestmark = pytest.mark.django_db


class _RefuseEveryone:
    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        return f"550 5.1.1 <{address}>: no such user here"


@pytest.fixture
def refusing_smtp() -> Iterator[None]:
    controller = Controller(_RefuseEveryone(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=controller.port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=10,
        ):
            yield
    finally:
        controller.stop()


@pytest.mark.usefixtures("refusing_smtp")
def test_a_refused_address_is_neither_in_the_log_nor_in_the_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ticket = TicketFactory(customer__email=EMAIL)
    caplog.clear()  # factory_boy's own DEBUG lines name what it builds
    with caplog.at_level(logging.DEBUG), pytest.raises((SMTPException, Retry)) as raised:
        send_ticket_email_task.apply(args=(ticket.pk, "acknowledgement"), throw=True)
    # the error is what a worker logs with its retry ("Retry in 5s: <error>")
    assert EMAIL not in str(raised.value)
    assert ticket.reference in str(raised.value)
    ours = [r for r in caplog.records if r.name != "mail.log"]  # aiosmtpd: the test's server
    for record in ours:
        text = record.getMessage() + repr(vars(record))
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        assert EMAIL not in text, record.name
    assert EmailDelivery.objects.get(ticket_id=ticket.pk).attempts >= 1
