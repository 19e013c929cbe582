"""Erasing one customer (GDPR Art. 17) in place: every registered holding scrubs its part and
the customer row takes the pseudonym; ticket rows keep what the figures need."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from supportdesk.audit.models import AuditAction
from supportdesk.audit.services import Actor, audit_record
from supportdesk.core.exceptions import Conflict, NotFound
from supportdesk.core.holdings import Scope, all_holdings
from supportdesk.core.pseudonyms import customer_pseudonym, email_digest
from supportdesk.notifications import services as notifications
from supportdesk.privacy.models import AnonymisedReason, Erasure, TicketAnonymisation
from supportdesk.privacy.selectors import legal_holds_of, open_ticket_count, tickets_of_customer
from supportdesk.tickets.models import Customer


@dataclass(frozen=True, slots=True)
class ErasureResult:
    pseudonym: str
    dry_run: bool
    already_erased: bool = False
    tickets: int = 0
    changes: dict[str, int] = field(default_factory=dict)


def _locked_customer(*, client_app_id: int, email: str) -> Customer | None:
    return (
        Customer.objects.select_for_update(no_key=True)
        .filter(client_app_id=client_app_id, email=email.strip().lower())
        .first()
    )


def _refuse_if_held_or_open(customer: Customer, *, force: bool) -> None:
    if legal_holds_of(customer_id=customer.pk).exists():
        raise Conflict(
            _("This customer's data is under a legal hold; lift the hold before erasing it.")
        )
    open_count = open_ticket_count(customer_id=customer.pk)
    if open_count and not force:
        raise Conflict(
            ngettext_lazy(
                "The customer has %(count)d open ticket; solve it first, or a manager may "
                "force the erasure.",
                "The customer has %(count)d open tickets; solve them first, or a manager may "
                "force the erasure.",
                open_count,
            )
            % {"count": open_count}
        )


def customer_erase(
    *,
    client_app_id: int,
    email: str,
    actor: Actor,
    dry_run: bool = False,
    force: bool = False,
    via: str = "api",
) -> ErasureResult:
    """Erase the customer with this e-mail of this client application. A repeat finds the
    erased row by a keyed digest of the address and changes nothing. Refused (Conflict) under
    a legal hold, and with an open ticket unless `force` (managers only: the caller checks)."""
    with transaction.atomic():
        customer = _locked_customer(client_app_id=client_app_id, email=email)
        if customer is None:
            digest = email_digest(client_app_id=client_app_id, email=email)
            done = Erasure.objects.filter(client_app_id=client_app_id, email_digest=digest)
            erasure = done.first()
            if erasure is None:
                raise NotFound(_("No customer with this e-mail address."), field="email")
            return ErasureResult(pseudonym=erasure.pseudonym, dry_run=dry_run, already_erased=True)
        _refuse_if_held_or_open(customer, force=force)
        pseudonym = customer_pseudonym(customer.pk)
        ticket_ids = tuple(
            tickets_of_customer(customer_id=customer.pk).values_list("id", flat=True)
        )
        scope = Scope(
            client_app_id=client_app_id,
            customer_ids=(customer.pk,),
            ticket_ids=ticket_ids,
            emails=(customer.email,),
        )
        changes = {h.name: h.scrub(scope, dry_run=dry_run) for h in all_holdings()}
        result = ErasureResult(
            pseudonym=pseudonym, dry_run=dry_run, tickets=len(ticket_ids), changes=changes
        )
        if dry_run:
            return result
        Erasure.objects.create(
            customer=customer,
            client_app_id=client_app_id,
            email_digest=email_digest(client_app_id=client_app_id, email=email),
            pseudonym=pseudonym,
            reason=AnonymisedReason.ERASURE,
            forced=force,
            requested_by=actor.label[:150],
            changes=changes,
        )
        tickets_mark_anonymised(ticket_ids=ticket_ids, reason=AnonymisedReason.ERASURE)
        audit_record(
            actor=actor,
            action=AuditAction.CUSTOMER_ERASE,
            object_type="customer",
            object_id=customer.pk,
            object_label=pseudonym,
            customer_id=customer.pk,
            via=via,
            detail={"changes": changes, "forced": force, "tickets": len(ticket_ids)},
        )
        notifications.customer_erased(client_app_id=client_app_id, pseudonym=pseudonym)
    return result


def tickets_mark_anonymised(*, ticket_ids: tuple[int, ...], reason: str) -> None:
    TicketAnonymisation.objects.bulk_create(
        [TicketAnonymisation(ticket_id=pk, reason=reason) for pk in ticket_ids],
        ignore_conflicts=True,
    )
