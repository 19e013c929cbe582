"""Webhook payloads (they carry the customer's e-mail, name, subjects and reply bodies) and
the e-mail log (ids and times only: nothing to scrub, but part of the export)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from supportdesk.core.holdings import ExportEntry, Scope
from supportdesk.notifications.models import EmailDelivery, WebhookDelivery
from supportdesk.privacy.holdings.encoding import to_json
from supportdesk.tickets.models import Ticket

ERASED_KEY = "erased"


class WebhookHolding:
    name = "webhooks"

    def _deliveries(self, scope: Scope) -> QuerySet[WebhookDelivery]:
        return WebhookDelivery.objects.filter(
            ticket_id__in=scope.ticket_ids, endpoint__client_app_id=scope.client_app_id
        )

    def export(self, scope: Scope) -> Iterator[ExportEntry]:
        rows = self._deliveries(scope).select_related("endpoint").order_by("id")
        yield ExportEntry(
            "webhooks.json",
            to_json(
                [
                    {
                        "event_id": str(d.event_id),
                        "event": d.event,
                        "endpoint": d.endpoint.url,
                        "status": d.status,
                        "created_at": d.created_at,
                        "delivered_at": d.delivered_at,
                        "payload": d.payload,
                    }
                    for d in rows
                ]
            ),
        )

    def scrub(self, scope: Scope, *, dry_run: bool) -> int:
        rows = self._deliveries(scope).exclude(payload__has_key=ERASED_KEY)
        count = rows.count()
        if not dry_run:
            # what a receiver may still need to match a retry: the event's id, kind, version
            for delivery in rows.only("pk", "payload"):
                payload = delivery.payload if isinstance(delivery.payload, dict) else {}
                kept = {
                    k: payload[k] for k in ("version", "id", "event", "occurred_at") if k in payload
                }
                WebhookDelivery.objects.filter(pk=delivery.pk).update(
                    payload={**kept, ERASED_KEY: True}
                )
        return count


class EmailLogHolding:
    name = "emails"

    def export(self, scope: Scope) -> Iterator[ExportEntry]:
        references = {
            pk: f"{ticket.reference}"
            for pk, ticket in Ticket.objects.in_bulk(list(scope.ticket_ids)).items()
        }
        rows = EmailDelivery.objects.filter(ticket_id__in=scope.ticket_ids).order_by("id")
        yield ExportEntry(
            "emails.json",
            to_json(
                [
                    {
                        "ticket": references.get(row.ticket_id, ""),
                        "kind": row.kind,
                        "message_id": row.message_id or None,
                        "status": row.status,
                        "created_at": row.created_at,
                        "sent_at": row.sent_at,
                    }
                    for row in rows
                ]
            ),
        )

    def scrub(self, scope: Scope, *, dry_run: bool) -> int:
        return 0  # the log holds ids and times only; the e-mails' text is the tickets'
