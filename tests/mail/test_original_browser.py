"""In a real browser: an agent opens a reply's original e-mail from the ticket's thread, reads
its headers, its full text and its HTML in a sandboxed frame (no remote image is fetched), and
downloads the .eml."""

from pathlib import Path

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from supportdesk.clients.services import api_key_create
from supportdesk.mail import tokens
from supportdesk.mail.models import Mailbox, Transport
from supportdesk.mail.services import mail_receive
from supportdesk.tickets.models import Ticket
from tests.admin.conftest import make_agent
from tests.admin.test_browser import chromium_page, shot, sign_in
from tests.mail.messages import HUB, mail

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

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
    "<p>It has <b>arrived</b> now, thank you!</p>"
    '<img src="https://tracker.example/pixel.gif" alt="">'
    "<blockquote>We are looking into it.</blockquote>"
)


def test_an_agent_reads_a_replys_original_and_downloads_it(
    live_server: LiveServer, tmp_path: Path
) -> None:
    # given an English e-mail ticket and the customer's HTML reply, quoting us
    make_agent("anna", {"en": "native"})
    app, _key = api_key_create(name="mail-hub")
    mailbox = Mailbox.objects.create(address=HUB, client_app=app, transport=Transport.WEBHOOK)
    opened = mail_receive(mailbox=mailbox, raw=mail(body=QUESTION, subject="Blue jacket"))
    ticket = Ticket.objects.get(pk=opened.ticket_id)
    reply = mail(
        body=REPLY, subject="Re: Blue jacket", to=tokens.reply_address(HUB, ticket.pk), html=HTML
    )
    mail_receive(mailbox=mailbox, raw=reply)

    with chromium_page() as page:
        answered: list[str] = []  # URLs a server answered
        blocked: list[str] = []  # URLs the browser refused to request, and why
        page.on("response", lambda response: answered.append(response.url))
        page.on("requestfailed", lambda request: blocked.append(f"{request.url} {request.failure}"))
        sign_in(page, live_server, "anna")
        page.goto(f"{live_server.url}/admin/tickets/ticket/{ticket.pk}/change/")
        # when anna follows the reply's "Original e-mail"
        last = page.locator(".sd-thread .sd-message--customer").last
        expect(last).to_contain_text("It has arrived now, thank you!")
        expect(last).not_to_contain_text("We are looking into it.")
        shot(page, "mail-original-link-in-thread")
        last.get_by_role("link", name="Original e-mail").click()
        # then she reads its headers and its full text, quote included
        expect(page.locator("h1")).to_contain_text("Original e-mail")
        expect(page.locator(".sd-original__headers")).to_contain_text("Re: Blue jacket")
        expect(page.locator(".sd-original__headers")).to_contain_text("jan@example.nl")
        expect(page.locator(".sd-original__text")).to_contain_text("> We are looking into it.")
        # and its HTML in a sandboxed frame, without the remote image being fetched
        frame = page.frame_locator("iframe.sd-original__html")
        expect(frame.locator("b")).to_have_text("arrived")
        expect(frame.locator("blockquote")).to_have_text("We are looking into it.")
        shot(page, "mail-original-email")
        expect(frame.locator("img")).to_have_count(1)
        assert "https://tracker.example/pixel.gif csp" in blocked  # the frame's own policy
        assert not [url for url in answered if "tracker.example" in url]
        # and downloads the message as it arrived
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download the e-mail (.eml)").click()
        download = download_info.value
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)

    assert saved.name.startswith(f"{ticket.reference}-")
    assert saved.suffix == ".eml"
    assert saved.read_bytes() == reply
