"""Export: the customer's data, complete, and nothing of anyone else's."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client

from supportdesk.audit.models import AuditAction, AuditRecord
from supportdesk.core.holdings import ExportEntry, Scope, register, unregister
from supportdesk.privacy.models import ExportJob
from supportdesk.tickets.models import Message
from tests.conftest import ClientPrincipal, StaffPrincipal
from tests.privacy.conftest import EMAIL, NAME, PHRASE, Story, new_ticket
from tests.privacy.workers import BROKER, flush_broker, privacy_worker
from tests.routing.conftest import publishing_to, wait_until

EXPORT = "/api/v1/customers/export/"
OTHER_PHRASE = "otter lantern 9020"
OTHER_APP_PHRASE = "walrus comet 3377"


def _download(url: str) -> zipfile.ZipFile:
    response = Client().get(urlsplit(url).path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]


def _others(client_a: ClientPrincipal, client_b: ClientPrincipal) -> None:
    """Another customer of the same application, the same address at another application."""
    other = new_ticket(client_a, email="someone.else@example.org", name="Someone Else")
    Message.objects.filter(ticket=other).update(body=OTHER_PHRASE)
    twin = new_ticket(client_b)
    Message.objects.filter(ticket=twin).update(body=OTHER_APP_PHRASE)


@pytest.mark.celery
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_writes_the_whole_export_and_nothing_of_anyone_else(
    story: Story, client_a: ClientPrincipal, client_b: ClientPrincipal, tmp_path: Path
) -> None:
    # given the customer's story and two other people's tickets
    _others(client_a, client_b)
    flush_broker()
    with publishing_to(BROKER), privacy_worker(tmp_path, story.media):
        # when the client application asks for an export
        started = client_a.client.post(EXPORT, {"email": EMAIL}, "json")
        assert started.status_code == 202, started.content
        job_url = f"{EXPORT}{started.json()['id']}/"
        # then a worker writes it and the job offers a signed link
        wait_until(
            lambda: client_a.client.get(job_url).json()["status"] == "done",
            seconds=60,
            what="the export",
        )
    job = client_a.client.get(job_url).json()
    archive = _download(job["download_url"])
    names = archive.namelist()
    reference = story.ticket.reference
    assert {"manifest.json", "README.txt", "customer.json", f"tickets/{reference}.json",
            "emails.json", "webhooks.json"} <= set(names)  # fmt: skip
    assert json.loads(archive.read("manifest.json"))["version"] == 1
    assert json.loads(archive.read("customer.json"))["email"] == EMAIL
    thread = json.loads(archive.read(f"tickets/{reference}.json"))
    bodies = [m["body"] for m in thread["messages"]]
    assert len(bodies) == 2  # the customer's message and the public reply, not the note
    assert all(PHRASE in body for body in bodies)
    assert not any(m["internal"] for m in thread["messages"])
    (attachment,) = thread["messages"][0]["attachments"]
    assert PHRASE.encode() in archive.read(attachment["file"])
    emails = json.loads(archive.read("emails.json"))
    assert {e["kind"] for e in emails} >= {"reply"}
    inbound = json.loads(archive.read("inbound_emails.json"))
    assert [m["outcome"] for m in inbound] == ["appended", "refused"]
    assert PHRASE.encode() in archive.read(inbound[0]["file"])
    hooks = json.loads(archive.read("webhooks.json"))
    assert {h["event"] for h in hooks} >= {"ticket.created", "ticket.replied", "ticket.solved"}
    # and the README speaks the customer's language (nl-NL → Dutch)
    assert "Uw gegevens" in archive.read("README.txt").decode()
    # and nothing of the other customer or of the same address at another application
    everything = b"".join(archive.read(name) for name in names)
    assert OTHER_PHRASE.encode() not in everything
    assert OTHER_APP_PHRASE.encode() not in everything
    assert b"Someone Else" not in everything
    assert NAME.encode() in everything
    # and the request and the download are in the audit trail
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {AuditAction.CUSTOMER_EXPORT, AuditAction.EXPORT_DOWNLOAD} <= actions


@pytest.mark.django_db
def test_a_manager_may_ask_for_internal_notes(
    story: Story,
    client_a: ClientPrincipal,
    manager_principal: StaffPrincipal,
    django_capture_on_commit_callbacks: object,
) -> None:
    body = {"email": EMAIL, "client_application": client_a.app.pk, "include_internal": True}
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        started = manager_principal.client.post(EXPORT, body, "json")
    assert started.status_code == 202
    job = manager_principal.client.get(f"{EXPORT}{started.json()['id']}/").json()
    assert job["status"] == "done"
    assert job["include_internal"] is True
    archive = _download(job["download_url"])
    thread = json.loads(archive.read(f"tickets/{story.ticket.reference}.json"))
    assert [m["internal"] for m in thread["messages"]] == [False, False, True]
    assert "interne notities" in archive.read("README.txt").decode()  # nl-NL: Dutch


@pytest.mark.django_db
def test_a_tampered_or_expired_link_is_a_404(
    story: Story,
    client_a: ClientPrincipal,
    django_capture_on_commit_callbacks: object,
    settings: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        started = client_a.client.post(EXPORT, {"email": EMAIL}, "json").json()
    url = urlsplit(client_a.client.get(f"{EXPORT}{started['id']}/").json()["download_url"]).path
    assert Client().get(url.replace(":", "x", 1)).status_code == 404
    settings.PRIVACY_EXPORT_TTL_SECONDS = -1  # type: ignore[attr-defined]
    assert Client().get(url).status_code == 404
    assert ExportJob.objects.count() == 1


@pytest.mark.django_db
def test_an_export_that_cannot_be_written_is_marked_failed(
    client_a: ClientPrincipal, django_capture_on_commit_callbacks: object
) -> None:
    class Broken:
        name = "broken"

        def export(self, scope: Scope) -> Iterator[ExportEntry]:
            raise ValueError("cannot read")

        def scrub(self, scope: Scope, *, dry_run: bool) -> int:
            return 0

    new_ticket(client_a)
    register(Broken())
    try:
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            started = client_a.client.post(EXPORT, {"email": EMAIL}, "json")
    finally:
        unregister("broken")
    assert started.status_code == 202  # the task fails after the answer
    job = ExportJob.objects.get()
    assert job.status == "failed"
    shown = client_a.client.get(f"{EXPORT}{job.pk}/").json()
    assert (shown["status"], shown["download_url"]) == ("failed", None)
