"""The managers' privacy desk in the admin: export and erase actions, holds, who may see it."""

from __future__ import annotations

import pytest
from django.test import Client

from supportdesk.audit.models import AuditAction, AuditRecord
from supportdesk.core.pseudonyms import customer_pseudonym
from supportdesk.privacy.models import Erasure, ExportJob, LegalHold
from supportdesk.tickets.models import Customer
from tests.conftest import ClientPrincipal, StaffPrincipal
from tests.privacy.conftest import EMAIL, new_ticket

pytestmark = pytest.mark.django_db

DESK = "/admin/privacy/privacycustomer/"


def _admin(principal: StaffPrincipal) -> Client:
    client = Client()
    client.force_login(principal.agent.user)
    return client


def _act(admin: Client, action: str, customer_id: int) -> list[str]:
    response = admin.post(DESK, {"action": action, "_selected_action": [customer_id]}, follow=True)
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def test_a_manager_runs_a_dry_run_then_erases(
    client_a: ClientPrincipal, manager_principal: StaffPrincipal
) -> None:
    ticket = new_ticket(client_a)
    admin = _admin(manager_principal)
    pseudonym = customer_pseudonym(ticket.customer_id)
    # an open ticket: the dry run says what would change, the plain erase is refused
    (dry,) = _act(admin, "erase_dry_run", ticket.customer_id)
    assert dry.startswith(f"{pseudonym}: would change")
    (refused,) = _act(admin, "erase", ticket.customer_id)
    assert "open ticket" in refused
    assert Customer.objects.get(pk=ticket.customer_id).email == EMAIL
    # the forced erase goes through and is audited as the manager's, from the admin
    (done,) = _act(admin, "erase_forced", ticket.customer_id)
    assert done.startswith(f"{pseudonym}: erased")
    assert Erasure.objects.get().forced is True
    record = AuditRecord.objects.get(action=AuditAction.CUSTOMER_ERASE)
    assert (record.actor_label, record.via) == (manager_principal.agent.user.username, "admin")


def test_a_manager_exports_with_internal_notes(
    client_a: ClientPrincipal,
    manager_principal: StaffPrincipal,
    django_capture_on_commit_callbacks: object,
) -> None:
    ticket = new_ticket(client_a)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _act(_admin(manager_principal), "export_with_notes", ticket.customer_id)
    job = ExportJob.objects.get()
    assert (job.include_internal, job.status, job.requested_by) == (
        True,
        "done",
        manager_principal.agent.user.username,
    )
    jobs_page = _admin(manager_principal).get("/admin/privacy/exportjob/")
    assert "/exports/" in jobs_page.content.decode()  # the signed link


def test_a_legal_hold_is_added_by_a_manager_and_names_them(
    client_a: ClientPrincipal, manager_principal: StaffPrincipal
) -> None:
    ticket = new_ticket(client_a)
    response = _admin(manager_principal).post(
        "/admin/privacy/legalhold/add/", {"reason": "court order 17", "ticket": ticket.pk}
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.ticket_id, hold.created_by_id) == (ticket.pk, manager_principal.agent.user.pk)
    assert AuditRecord.objects.filter(
        action=AuditAction.SETTING_CHANGE, object_type="privacy.legalhold"
    ).exists()


def test_agents_do_not_see_the_privacy_desk(agent_principal: StaffPrincipal) -> None:
    admin = _admin(agent_principal)
    for url in (DESK, "/admin/privacy/exportjob/", "/admin/privacy/legalhold/"):
        assert admin.get(url).status_code == 403
    assert "privacy" not in admin.get("/admin/").content.decode().lower()
