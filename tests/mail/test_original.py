"""A received message's original e-mail, from the ticket's thread: headers, the full text with
its quoted history, the sanitised HTML in a sandboxed frame under a policy of its own, and the
.eml — for whoever may see the ticket (ADR 0016), a 404 for anyone else."""

import pytest
from django.test import Client
from django.urls import reverse

from supportdesk.agents.models import Agent
from supportdesk.audit.models import AuditRecord
from supportdesk.mail import tokens
from supportdesk.mail.models import InboundMessage, Mailbox, Outcome
from supportdesk.mail.services import mail_receive
from supportdesk.tickets.models import Ticket
from tests.admin.conftest import make_agent
from tests.mail.messages import HUB, mail

pytestmark = pytest.mark.django_db

QUESTION = (
    "Hello, the blue jacket I ordered two weeks ago has still not arrived. "
    "Could you tell me where it is?"
)
REPLY = (
    "It has arrived now, thank you!\n\n"
    "On Mon, 30 Nov 2026 at 10:00, Support <support@hub.example> wrote:\n"
    "> We are looking into it.\n"
)
HTML = (
    '<p>It has <b>arrived</b> now!</p><script>alert("x")</script>'
    '<img src="https://tracker.example/pixel.gif" alt="">'
)


@pytest.fixture
def anna() -> Agent:
    """Speaks English: sees English tickets."""
    return make_agent("anna", {"en": "native"})


@pytest.fixture
def bruno() -> Agent:
    """Speaks Portuguese only: English tickets are outside his scope."""
    return make_agent("bruno", {"pt-BR": "native"})


def _as(agent: Agent) -> Client:
    client = Client()
    client.force_login(agent.user)
    return client


def _conversation(mailbox: Mailbox) -> tuple[Ticket, InboundMessage, InboundMessage]:
    opened = mail_receive(mailbox=mailbox, raw=mail(body=QUESTION, subject="Blue jacket"))
    ticket = Ticket.objects.get(pk=opened.ticket_id)
    raw = mail(
        body=REPLY, subject="Re: Blue jacket", to=tokens.reply_address(HUB, ticket.pk), html=HTML
    )
    mail_receive(mailbox=mailbox, raw=raw)
    first, reply = InboundMessage.objects.order_by("pk")
    return ticket, first, reply


def _original_url(row: InboundMessage, part: str = "") -> str:
    return reverse(f"admin:mail_inboundmessage_original{part}", args=[row.pk])


def test_each_received_message_in_the_thread_links_to_its_original(
    anna: Agent, mailbox: Mailbox
) -> None:
    # given an e-mail ticket with a reply by e-mail
    ticket, first, reply = _conversation(mailbox)
    # when an agent who may see it opens the ticket
    page = _as(anna).get(reverse("admin:tickets_ticket_change", args=[ticket.pk])).content.decode()
    # then both messages link to the e-mail they came from
    assert f'href="{_original_url(first)}"' in page
    assert f'href="{_original_url(reply)}"' in page
    assert "We are looking into it." not in page  # the thread shows the reply without its quote


def test_the_original_shows_headers_full_text_and_the_html_in_a_sandboxed_frame(
    anna: Agent, mailbox: Mailbox
) -> None:
    ticket, _first, reply = _conversation(mailbox)
    client = _as(anna)
    page = client.get(_original_url(reply))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Jan de Vries &lt;jan@example.nl&gt;" in body  # From, escaped
    assert "Re: Blue jacket" in body
    assert "&gt; We are looking into it." in body  # the full text, quote included, escaped
    assert (
        f'<iframe class="sd-original__html" sandbox src="{_original_url(reply, "_html")}"' in body
    )
    assert _original_url(reply, "_eml") in body
    reads = AuditRecord.objects.filter(object_id=ticket.pk, via="admin")
    assert reads.count() == 1  # the page; its frame (below) is part of the same read
    # the frame's document: sanitised HTML, under a policy without scripts or remote images
    frame = client.get(_original_url(reply, "_html"))
    assert frame.status_code == 200
    assert "<b>arrived</b>" in frame.content.decode()
    assert "<script" not in frame.content.decode()
    policy = frame["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "img-src data:" in policy
    assert "sandbox" in policy
    assert "frame-ancestors 'self'" in policy
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    assert reads.count() == 1


def test_the_eml_is_the_raw_message_as_an_attachment(anna: Agent, mailbox: Mailbox) -> None:
    ticket, first, _reply = _conversation(mailbox)
    answer = _as(anna).get(_original_url(first, "_eml"))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "message/rfc822"
    assert answer["Content-Disposition"] == (
        f'attachment; filename="{ticket.reference}-{first.pk}.eml"'
    )
    assert answer.content == bytes(first.raw)


def test_someone_who_may_not_see_the_ticket_gets_a_404_everywhere(
    bruno: Agent, mailbox: Mailbox
) -> None:
    _ticket, first, reply = _conversation(mailbox)
    client = _as(bruno)
    for row in (first, reply):
        for part in ("", "_html", "_eml"):
            assert client.get(_original_url(row, part)).status_code == 404
    assert client.get("/admin/mail/inboundmessage/99999999/original/").status_code == 404
    assert client.get("/admin/mail/inboundmessage/x1/original/").status_code == 404


def test_mail_that_made_no_ticket_is_for_readers_of_the_inbound_log_only(
    anna: Agent, mailbox: Mailbox
) -> None:
    received = mail_receive(
        mailbox=mailbox,
        raw=mail(subject="Out of office", headers={"Auto-Submitted": "auto-replied"}),
    )
    assert received.outcome == Outcome.SKIPPED
    row = InboundMessage.objects.get()
    assert _as(anna).get(_original_url(row)).status_code == 404
    manager = make_agent("maria", {"de": "native"}, manager=True)
    assert _as(manager).get(_original_url(row)).status_code == 200
    log = _as(manager).get(reverse("admin:mail_inboundmessage_changelist")).content.decode()
    assert f'href="{_original_url(row)}"' in log


def test_an_erased_original_says_so_and_has_no_download(anna: Agent, mailbox: Mailbox) -> None:
    _ticket, first, _reply = _conversation(mailbox)
    InboundMessage.objects.filter(pk=first.pk).update(raw=b"", full_text="", html="")
    client = _as(anna)
    page = client.get(_original_url(first)).content.decode()
    assert "The original of this e-mail was erased" in page
    assert _original_url(first, "_eml") not in page
    assert client.get(_original_url(first, "_eml")).status_code == 404
