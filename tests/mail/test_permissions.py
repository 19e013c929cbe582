"""Who may do what with inbound e-mail in the admin (docs/admin.md): managers manage mailboxes
and read the inbound log; agents do neither, even with a permission granted by hand."""

import pytest
from django.contrib.auth.models import Permission
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from supportdesk.agents.models import Agent
from supportdesk.mail.models import InboundMessage, Mailbox
from supportdesk.mail.services import mail_receive
from tests.admin.conftest import make_agent
from tests.mail.messages import mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager() -> Agent:
    return make_agent("maria", {"de": "native"}, manager=True)


@pytest.fixture
def agent() -> Agent:
    return make_agent("anna", {"en": "native"})


def _as(agent: Agent) -> Client:
    client = Client()
    client.force_login(agent.user)
    return client


def _mailbox_form(mailbox: Mailbox, **changes: object) -> dict[str, object]:
    return {
        "address": mailbox.address,
        "client_app": mailbox.client_app_id,
        "default_language": mailbox.default_language,
        "enabled": "on",
        "transport": mailbox.transport,
        "imap_port": 993,
        "imap_security": "tls",
        "imap_auth": "password",
        "imap_folder": "INBOX",
        **changes,
    }


def test_a_manager_manages_mailboxes_and_reads_the_inbound_log(
    manager: Agent, mailbox: Mailbox
) -> None:
    # given a message received
    mail_receive(mailbox=mailbox, raw=mail(subject="Where is my parcel"))
    client = _as(manager)
    # then the manager finds inbound e-mail on the admin's index
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:mail_mailbox_changelist") in index
    assert reverse("admin:mail_inboundmessage_changelist") in index
    # reads the log and a message in it, but cannot change or delete it
    log = client.get(reverse("admin:mail_inboundmessage_changelist"))
    assert log.status_code == 200
    assert "Where is my parcel" in log.content.decode()
    row = InboundMessage.objects.get()
    assert client.get(reverse("admin:mail_inboundmessage_change", args=[row.pk])).status_code == 200
    assert client.get(reverse("admin:mail_inboundmessage_delete", args=[row.pk])).status_code == 403
    # and changes a mailbox (here: disables it)
    answer = client.post(
        reverse("admin:mail_mailbox_change", args=[mailbox.pk]),
        {k: v for k, v in _mailbox_form(mailbox).items() if k != "enabled"},
    )
    assert answer.status_code == 302
    mailbox.refresh_from_db()
    assert not mailbox.enabled
    assert client.get(reverse("admin:mail_mailbox_add")).status_code == 200


def test_a_manager_cannot_delete_a_mailbox_with_mail_and_so_its_log(
    manager: Agent, mailbox: Mailbox
) -> None:
    mail_receive(mailbox=mailbox, raw=mail())
    page = _as(manager).post(
        reverse("admin:mail_mailbox_delete", args=[mailbox.pk]), {"post": "yes"}
    )
    assert page.status_code in (200, 403)  # Django names what may not be deleted, or refuses
    assert Mailbox.objects.filter(pk=mailbox.pk).exists()
    assert InboundMessage.objects.count() == 1


def test_no_one_deletes_a_mailbox_with_mail_and_an_unused_one_goes(
    mailbox: Mailbox, manager: Agent
) -> None:
    # given a mailbox that received a message, and one that never did
    mail_receive(mailbox=mailbox, raw=mail())
    unused = Mailbox.objects.create(address="spare@hub.example", client_app=mailbox.client_app)
    # then not even a superuser's delete (or a script's) takes the raw mail with it
    with pytest.raises(ProtectedError):
        mailbox.delete()
    assert InboundMessage.objects.count() == 1
    # and a manager deletes the unused one from the admin
    page = _as(manager).post(
        reverse("admin:mail_mailbox_delete", args=[unused.pk]), {"post": "yes"}
    )
    assert page.status_code == 302
    assert not Mailbox.objects.filter(pk=unused.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:mail_mailbox_changelist"),
        reverse("admin:mail_mailbox_add"),
        reverse("admin:mail_inboundmessage_changelist"),
    ],
)
def test_an_agent_reaches_no_mailbox_and_no_inbound_log(agent: Agent, url: str) -> None:
    assert _as(agent).get(url).status_code == 403


def test_a_permission_granted_by_hand_does_not_open_the_log_to_an_agent(
    agent: Agent, mailbox: Mailbox
) -> None:
    mail_receive(mailbox=mailbox, raw=mail())
    agent.user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="mail", codename__startswith="view_")
    )
    client = _as(agent)
    assert client.get(reverse("admin:mail_inboundmessage_changelist")).status_code == 403
    row = InboundMessage.objects.get()
    assert client.get(reverse("admin:mail_inboundmessage_change", args=[row.pk])).status_code == 403
    assert (
        reverse("admin:mail_mailbox_changelist")
        not in client.get(reverse("admin:index")).content.decode()
    )
