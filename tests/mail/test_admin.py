"""The mailbox admin: status per mailbox, the secret never shown, a fetch from the list."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from supportdesk.mail.models import Mailbox
from supportdesk.mail.services import mail_receive
from supportdesk.tickets.models import Ticket
from tests.mail.imap import ImapServer
from tests.mail.messages import mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged_in() -> Client:
    user = get_user_model().objects.create_superuser("root", "root@hub.example", "x" * 16)
    client = Client()
    client.force_login(user)
    return client


def test_list_shows_status_and_change_page_never_the_secret(
    admin_client_logged_in: Client, imap_mailbox: Mailbox, imap_server: ImapServer
) -> None:
    mail_receive(mailbox=imap_mailbox, raw=mail())
    listing = admin_client_logged_in.get(reverse("admin:mail_mailbox_changelist"))
    assert listing.status_code == 200
    assert imap_mailbox.address in listing.content.decode()
    change = admin_client_logged_in.get(
        reverse("admin:mail_mailbox_change", args=[imap_mailbox.pk])
    ).content.decode()
    assert "SD_TEST_IMAP_SECRET" in change
    assert imap_server.password not in change


def test_fetch_now_action_requests_a_fetch_which_the_embedded_runtime_runs_at_once(
    admin_client_logged_in: Client, imap_mailbox: Mailbox, imap_server: ImapServer
) -> None:
    # given the embedded runtime (eager tasks, as the test settings) and one unseen message
    imap_server.append(mail())
    # when the action runs
    answer = admin_client_logged_in.post(
        reverse("admin:mail_mailbox_changelist"),
        {"action": "fetch_now", "_selected_action": [imap_mailbox.pk]},
        follow=True,
    )
    # then it says a fetch was requested, and the task has already read the mailbox
    assert (
        f"{imap_mailbox.address}: fetch requested; its status (last fetch, last error) updates "
        "when a worker has fetched."
    ) in [str(message) for message in answer.context["messages"]]
    assert imap_server.unseen() == 0
    assert Ticket.objects.count() == 1
    log = admin_client_logged_in.get(reverse("admin:mail_inboundmessage_changelist"))
    assert log.status_code == 200


def test_an_invalid_default_language_is_refused_by_name(admin_client_logged_in: Client) -> None:
    from supportdesk.clients.services import api_key_create

    app, _key = api_key_create(name="form-app")
    answer = admin_client_logged_in.post(
        reverse("admin:mail_mailbox_add"),
        {
            "address": "support-xx@hub.example",
            "client_app": app.pk,
            "default_language": "not a tag",
            "enabled": "on",
            "transport": "webhook",
            "imap_port": 993,
            "imap_security": "tls",
            "imap_auth": "password",
            "imap_folder": "INBOX",
        },
    )
    assert answer.status_code == 200
    assert "is not a valid BCP 47 language tag" in answer.content.decode()
    assert not Mailbox.objects.filter(address="support-xx@hub.example").exists()


@pytest.mark.parametrize(
    ("security", "host", "port", "problem"),
    [
        pytest.param("starttls", "imap.hub.example", 993, "Port 993 is for", id="starttls-993"),
        pytest.param("none", "imap.hub.example", 143, "Without TLS the password", id="none-remote"),
    ],
)  # fmt: skip
def test_the_form_refuses_a_connection_that_cannot_work(
    admin_client_logged_in: Client, security: str, host: str, port: int, problem: str
) -> None:
    from supportdesk.clients.services import api_key_create

    app, _key = api_key_create(name="form-app")
    fields = {
        "address": "support-nl@hub.example",
        "client_app": app.pk,
        "default_language": "nl",
        "enabled": "on",
        "transport": "imap",
        "imap_host": host,
        "imap_port": port,
        "imap_security": security,
        "imap_user": "support-nl",
        "imap_auth": "password",
        "imap_folder": "INBOX",
        "secret_env": "MAILBOX_NL_SECRET",
    }
    answer = admin_client_logged_in.post(reverse("admin:mail_mailbox_add"), fields)
    assert answer.status_code == 200
    assert problem in answer.content.decode()
    assert not Mailbox.objects.exists()
    fields.update(imap_security="tls", imap_port=993)  # as it should be
    answer = admin_client_logged_in.post(reverse("admin:mail_mailbox_add"), fields)
    assert answer.status_code == 302
    assert Mailbox.objects.get().imap_security == "tls"
