"""The audit trail: reads through the API and the admin, setting changes, append-only, CSV."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from supportdesk.audit.models import AppendOnlyError, AuditAction, AuditRecord
from supportdesk.core.pseudonyms import customer_pseudonym
from tests.conftest import ClientPrincipal, StaffPrincipal
from tests.privacy.conftest import EMAIL, new_ticket

pytestmark = pytest.mark.django_db


def _admin(principal: StaffPrincipal) -> Client:
    client = Client()
    client.force_login(principal.agent.user)
    return client


def test_api_reads_of_a_ticket_and_its_thread_are_recorded(
    client_a: ClientPrincipal, manager_principal: StaffPrincipal
) -> None:
    ticket = new_ticket(client_a)
    client_a.client.get(f"/api/v1/tickets/{ticket.public_id}/")
    manager_principal.client.get(f"/api/v1/tickets/{ticket.public_id}/messages/")
    records = list(AuditRecord.objects.filter(action=AuditAction.TICKET_READ).order_by("id"))
    assert [(r.actor_label, r.via) for r in records] == [
        (client_a.app.name, "api"),
        (manager_principal.agent.user.username, "api"),
    ]
    assert records[0].client_app_id == client_a.app.pk
    assert records[1].actor_user_id == manager_principal.agent.user.pk
    assert {r.object_label for r in records} == {ticket.reference}
    assert {r.customer_pseudonym for r in records} == {customer_pseudonym(ticket.customer_id)}
    assert {r.ip for r in records} == {"127.0.0.1"}
    assert EMAIL not in str([r.detail for r in records])


def test_admin_reads_of_a_ticket_and_a_customer_are_recorded(
    client_a: ClientPrincipal, manager_principal: StaffPrincipal
) -> None:
    ticket = new_ticket(client_a)
    admin = _admin(manager_principal)
    assert admin.get(f"/admin/tickets/ticket/{ticket.pk}/change/").status_code == 200
    assert admin.get(f"/admin/tickets/customer/{ticket.customer_id}/change/").status_code == 200
    admin_reads = AuditRecord.objects.filter(via="admin").order_by("id")
    actions = list(admin_reads.values_list("action", flat=True))
    assert actions == [AuditAction.TICKET_READ, AuditAction.CUSTOMER_READ]


def test_a_setting_changed_in_the_admin_is_recorded(
    client_a: ClientPrincipal, manager_principal: StaffPrincipal
) -> None:
    admin = _admin(manager_principal)
    url = f"/admin/clients/clientapplication/{client_a.app.pk}/change/"
    response = admin.post(url, {"name": "help-centre-renamed", "is_active": "on",
                                "api_keys-TOTAL_FORMS": "1", "api_keys-INITIAL_FORMS": "1",
                                "api_keys-0-id": str(client_a.app.api_keys.get().pk),
                                "api_keys-0-client_app": str(client_a.app.pk)})  # fmt: skip
    assert response.status_code == 302, response.content[:3000]
    record = AuditRecord.objects.get(action=AuditAction.SETTING_CHANGE)
    assert record.object_type == "clients.clientapplication"
    assert record.object_label == "help-centre-renamed"
    assert record.actor_label == manager_principal.agent.user.username
    assert record.detail["change"] == "changed"


def test_records_cannot_be_changed_or_deleted(client_a: ClientPrincipal) -> None:
    ticket = new_ticket(client_a)
    client_a.client.get(f"/api/v1/tickets/{ticket.public_id}/")
    record = AuditRecord.objects.get()
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    for statement in (
        "UPDATE audit_auditrecord SET actor_label = 'x'",
        "DELETE FROM audit_auditrecord",
    ):
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditRecord.objects.get().actor_label == client_a.app.name


def test_managers_browse_and_export_csv_and_agents_cannot(
    client_a: ClientPrincipal, manager_principal: StaffPrincipal, agent_principal: StaffPrincipal
) -> None:
    ticket = new_ticket(client_a)
    client_a.client.get(f"/api/v1/tickets/{ticket.public_id}/")
    admin = _admin(manager_principal)
    listing = admin.get("/admin/audit/auditrecord/?action__exact=ticket.read")
    assert listing.status_code == 200
    assert ticket.reference in listing.content.decode()
    exported = admin.post(
        "/admin/audit/auditrecord/",
        {
            "action": "export_csv",
            "_selected_action": list(AuditRecord.objects.values_list("pk", flat=True)),
        },
    )
    assert exported.status_code == 200
    body = b"".join(exported.streaming_content).decode()  # type: ignore[attr-defined]
    assert body.splitlines()[0].startswith("at,actor_label")
    assert ticket.reference in body
    assert _admin(agent_principal).get("/admin/audit/auditrecord/").status_code == 403


def test_an_attachment_download_is_a_read_of_its_ticket(
    client_a: ClientPrincipal, attachment_media: object
) -> None:
    import io

    from supportdesk.attachments.services import attachment_add
    from supportdesk.tickets.models import Message
    from tests.attachments import files

    ticket = new_ticket(client_a)
    attachment = attachment_add(
        message=Message.objects.filter(ticket=ticket).earliest("id"),
        name="a.pdf",
        content=io.BytesIO(files.pdf()),
    )
    response = client_a.client.get(f"/api/v1/attachments/{attachment.pk}/")
    assert response.status_code == 200
    record = AuditRecord.objects.get(action=AuditAction.TICKET_READ)
    assert (record.object_type, record.object_id, record.object_label) == (
        "attachment",
        str(attachment.pk),
        ticket.reference,
    )
    response.close()  # the file (last: it also ends the request, and its connection)
