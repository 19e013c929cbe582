"""In a real browser: an agent attaches files in the reply box and sees them in the thread."""

from pathlib import Path

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from supportdesk.attachments.models import Attachment
from tests.admin.conftest import make_agent, open_ticket
from tests.admin.test_browser import chromium_page, shot, sign_in
from tests.attachments import files
from tests.factories import MessageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("attachment_media"),
]


def test_an_agent_attaches_files_from_the_reply_box(
    live_server: LiveServer, attachment_media: Path
) -> None:
    # given anna's open ticket
    anna = make_agent("anna", {"nl": "native", "en": "fluent"})
    ticket = open_ticket(anna, language="nl", subject="Pakket beschadigd")
    MessageFactory(ticket=ticket, body="De doos was kapot.")

    with chromium_page() as page:
        sign_in(page, live_server, "anna")
        page.click(f"text={ticket.reference}")
        # when she writes a reply and attaches a label and a photo
        page.fill("#id_reply_body", "Hierbij het retourlabel.")
        page.set_input_files(
            "#id_reply_files",
            files=[
                {"name": "retourlabel.pdf", "mimeType": "application/pdf", "buffer": files.pdf()},
                {"name": "doos.png", "mimeType": "image/png", "buffer": files.png()},
            ],
        )
        page.click("input[name=_continue]")
        # then her reply shows both files; the photo as a server-made thumbnail
        reply = page.locator(".sd-message--agent").last
        expect(reply).to_contain_text("Hierbij het retourlabel.")
        expect(reply.locator(".sd-attachment")).to_have_count(2)
        expect(reply.locator(".sd-attachment__name").first).to_have_text("retourlabel.pdf")
        thumbnail = reply.locator("img.sd-attachment__thumb")
        expect(thumbnail).to_have_count(1)
        expect(thumbnail).to_have_js_property("complete", True)
        assert thumbnail.evaluate("img => img.naturalWidth") > 0
        shot(page, "attachments-in-the-thread")

    assert sorted(Attachment.objects.values_list("name", flat=True)) == [
        "doos.png",
        "retourlabel.pdf",
    ]
    assert len(files.stored(attachment_media)) == 3  # two files and one thumbnail


def test_a_refused_file_leaves_the_reply_in_the_box(
    live_server: LiveServer, attachment_media: Path
) -> None:
    # given anna's open ticket
    anna = make_agent("anna", {"nl": "native", "en": "fluent"})
    ticket = open_ticket(anna, language="nl", subject="Factuur klopt niet")
    MessageFactory(ticket=ticket, body="Het bedrag op de factuur is te hoog.")

    with chromium_page() as page:
        sign_in(page, live_server, "anna")
        page.click(f"text={ticket.reference}")
        # when she writes a reply, attaches a web page by mistake and sends it
        page.fill("#id_reply_body", "Hierbij de gecorrigeerde factuur.")
        page.set_input_files(
            "#id_reply_files",
            files=[
                {"name": "factuur.pdf", "mimeType": "application/pdf", "buffer": files.pdf()},
                {"name": "factuur.html", "mimeType": "text/html", "buffer": files.HTML},
            ],
        )
        page.click("input[name=_continue]")
        # then the page says which file was refused, under the file input, with no success
        expect(page.locator("#id_reply_files_error")).to_contain_text("factuur.html")
        expect(page.locator(".errornote")).to_be_visible()
        expect(page.locator(".messagelist .success")).to_have_count(0)
        # and her reply is still in the box, ready to send again with the right file
        expect(page.locator("#id_reply_body")).to_have_value("Hierbij de gecorrigeerde factuur.")
        shot(page, "attachments-refused-file-keeps-the-reply")

    assert not ticket.messages.exclude(body__startswith="Het bedrag").exists()
    assert files.stored(attachment_media) == []
