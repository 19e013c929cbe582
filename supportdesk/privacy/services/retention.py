"""Retention (GDPR Art. 5(1)(e)): solved and closed tickets older than their application's
period are anonymised as an erasure would, by a beat task in bounded batches. Each batch is
one transaction over rows it locks (SKIP LOCKED), so a worker killed midway leaves its batch
untouched and the next run (or a parallel worker) carries on."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from supportdesk.audit.models import AuditAction
from supportdesk.audit.services import SYSTEM, audit_record
from supportdesk.core.holdings import Scope, all_holdings
from supportdesk.core.pseudonyms import customer_pseudonym
from supportdesk.privacy.models import (
    AnonymisedReason,
    Erasure,
    LegalHold,
    RetentionPolicy,
    TicketAnonymisation,
)
from supportdesk.privacy.selectors import FINISHED
from supportdesk.privacy.services.erasure import tickets_mark_anonymised
from supportdesk.tickets.models import Customer, Ticket


@dataclass(frozen=True, slots=True)
class RetentionPlan:
    tickets: int
    customers: int
    periods: dict[str, int]  # "default" or an application's id → days (0: kept)


def _expired(now: datetime) -> Q:
    """Tickets past their application's period (RetentionPolicy, else RETENTION_DAYS)."""
    policies = dict(RetentionPolicy.objects.values_list("client_app_id", "days"))
    expired = Q(pk__in=[])
    for app_id, days in policies.items():
        if days:
            expired |= Q(client_app_id=app_id, solved_at__lt=now - timedelta(days=days))
    default_days: int = settings.RETENTION_DAYS
    if default_days:
        expired |= Q(solved_at__lt=now - timedelta(days=default_days)) & ~Q(
            client_app_id__in=list(policies)
        )
    return expired


def _not_held() -> Q:
    held = LegalHold.objects.filter(Q(ticket=OuterRef("pk")) | Q(customer=OuterRef("customer")))
    return ~Q(Exists(held))


def tickets_due(*, now: datetime | None = None) -> QuerySet[Ticket]:
    now = now or timezone.now()
    done = TicketAnonymisation.objects.filter(ticket=OuterRef("pk"))
    return (
        Ticket.objects.filter(status__in=FINISHED)
        .filter(_expired(now), _not_held())
        .filter(~Q(Exists(done)))
    )


def _customers_left_with_nothing(customer_ids: set[int], batch: set[int]) -> tuple[int, ...]:
    """Customers of the batch whose every other ticket is anonymised already, and not held."""
    others = (
        Ticket.objects.filter(customer_id__in=customer_ids)
        .exclude(pk__in=batch)
        .exclude(Exists(TicketAnonymisation.objects.filter(ticket=OuterRef("pk"))))
        .values_list("customer_id", flat=True)
    )
    held = LegalHold.objects.filter(customer_id__in=customer_ids).values_list(
        "customer_id", flat=True
    )
    return tuple(sorted(customer_ids - set(others) - set(held)))


def retention_batch(*, now: datetime | None = None, size: int | None = None) -> int:
    """Anonymise at most `size` (RETENTION_BATCH_SIZE) due tickets in one transaction; how many."""
    size = size or settings.RETENTION_BATCH_SIZE
    with transaction.atomic():
        rows = list(
            tickets_due(now=now)
            .select_for_update(no_key=True, skip_locked=True, of=("self",))
            .order_by("id")
            .values_list("id", "customer_id", "client_app_id")[:size]
        )
        by_app: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for ticket_id, customer_id, app_id in rows:
            by_app[app_id].append((ticket_id, customer_id))
        customers_done = 0
        for app_id, pairs in sorted(by_app.items()):
            customers_done += _anonymise(app_id, pairs)
        if rows:
            audit_record(
                actor=SYSTEM,
                action=AuditAction.RETENTION,
                object_type="ticket",
                object_label=f"{len(rows)} tickets",
                via="task",
                detail={"tickets": [pk for pk, _c, _a in rows], "customers": customers_done},
            )
    return len(rows)


def _anonymise(app_id: int, pairs: list[tuple[int, int]]) -> int:
    ticket_ids = tuple(pk for pk, _customer in pairs)
    customer_ids = _customers_left_with_nothing({c for _pk, c in pairs}, set(ticket_ids))
    emails = tuple(Customer.objects.filter(pk__in=customer_ids).values_list("email", flat=True))
    scope = Scope(
        client_app_id=app_id, customer_ids=customer_ids, ticket_ids=ticket_ids, emails=emails
    )
    changes = {h.name: h.scrub(scope, dry_run=False) for h in all_holdings()}
    tickets_mark_anonymised(ticket_ids=ticket_ids, reason=AnonymisedReason.RETENTION)
    Erasure.objects.bulk_create(
        [
            Erasure(
                customer_id=customer_id,
                client_app_id=app_id,
                pseudonym=customer_pseudonym(customer_id),
                reason=AnonymisedReason.RETENTION,
                requested_by="retention",
                changes=changes,
            )
            for customer_id in customer_ids
        ],
        ignore_conflicts=True,
    )
    return len(customer_ids)


def retention_run(*, now: datetime | None = None, seconds: float = 60.0) -> int:
    """Batches until nothing is due or `seconds` have passed (the next run carries on)."""
    started, total = time.monotonic(), 0
    size: int = settings.RETENTION_BATCH_SIZE
    while True:
        done = retention_batch(now=now, size=size)
        total += done
        if done < size or time.monotonic() - started > seconds:
            return total


def retention_plan(*, now: datetime | None = None) -> RetentionPlan:
    """What the next run would do, changing nothing."""
    due = tickets_due(now=now)
    pairs = list(due.values_list("id", "customer_id"))
    customers = _customers_left_with_nothing({c for _pk, c in pairs}, {pk for pk, _c in pairs})
    periods: dict[str, int] = {"default": settings.RETENTION_DAYS}
    periods.update(
        {
            str(app): days
            for app, days in RetentionPolicy.objects.values_list("client_app_id", "days")
        }
    )
    return RetentionPlan(tickets=len(pairs), customers=len(customers), periods=periods)
