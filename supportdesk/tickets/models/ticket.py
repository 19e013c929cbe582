import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportdesk.agents.models import Agent
from supportdesk.clients.models import ClientApplication
from supportdesk.core.models import TimeStampedModel, index_where_set
from supportdesk.tickets.models.choices import (
    Channel,
    LanguageSource,
    MatchRank,
    Priority,
    TicketStatus,
)
from supportdesk.tickets.models.customer import Customer

REFERENCE_PREFIX = "SD-"
REFERENCE_OFFSET = 10000


class Ticket(TimeStampedModel):
    """`public_id` is the opaque id clients see; `reference` (SD-10342) is for humans."""

    # set before the insert, not by it: intake computes the SLA deadlines from it first
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, editable=False, verbose_name=_("created at")
    )
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    # db_index=False: ticket_app_created (client_app, -created_at) serves lookups by application
    client_app = models.ForeignKey(
        ClientApplication,
        on_delete=models.PROTECT,
        related_name="tickets",
        db_index=False,
        verbose_name=_("client application"),
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("customer")
    )
    subject = models.CharField(_("subject"), max_length=255)
    language = models.CharField(_("language"), max_length=35)
    language_source = models.CharField(
        _("language source"), max_length=10, choices=LanguageSource.choices
    )
    language_confidence = models.FloatField(_("language confidence"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default="api")
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.NEW
    )
    # db_index=False: ticket_assignee_status (partial, assignee set) serves lookups by agent
    assignee = models.ForeignKey(
        Agent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        db_index=False,
        verbose_name=_("assignee"),
    )
    manually_assigned = models.BooleanField(_("manually assigned"), default=False)
    released_by = models.ForeignKey(  # indexed by ticket_released_by, where set
        Agent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=False,
        verbose_name=_("released by"),
    )
    released_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("released at")
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    idempotency_key = models.CharField(  # noqa: DJ001 - NULL keeps the unique constraint partial
        max_length=255, null=True, blank=True, editable=False, verbose_name=_("idempotency key")
    )
    idempotency_fingerprint = models.CharField(
        max_length=64, blank=True, editable=False, verbose_name=_("idempotency fingerprint")
    )
    # written once, by routing's assignment UPDATE at the ticket's first routed assignment
    first_match_rank = models.PositiveSmallIntegerField(
        _("first agent's language match"),
        choices=MatchRank.choices,
        null=True,
        blank=True,
        editable=False,
    )
    routing_note = models.JSONField(_("why it waits"), default=dict, blank=True, editable=False)

    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    solved_at = models.DateTimeField(_("solved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    first_response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    # SLA clock (supportdesk.sla): stopped while pending; working time stopped so far
    sla_paused_at = models.DateTimeField(_("SLA clock stopped at"), null=True, blank=True)
    sla_paused_seconds = models.PositiveIntegerField(_("SLA time stopped (s)"), default=0)
    first_response_breached_at = models.DateTimeField(
        _("first response breached at"), null=True, blank=True
    )
    resolution_breached_at = models.DateTimeField(
        _("resolution breached at"), null=True, blank=True
    )

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            models.UniqueConstraint(
                fields=["client_app", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="ticket_idempotency_key_per_app",
            ),
            models.CheckConstraint(
                condition=~Q(status="new", assignee__isnull=False),
                name="ticket_new_is_unassigned",
            ),
            models.CheckConstraint(
                condition=~Q(status="open", assignee__isnull=True),
                name="ticket_open_is_assigned",
            ),
        ]
        indexes = [
            # the waiting queue: unassigned new tickets by language in queue order
            models.Index(
                "language",
                models.F("priority").desc(),
                "first_response_due_at",
                "created_at",
                "id",
                condition=Q(status="new"),
                name="ticket_waiting_queue",
            ),
            models.Index(
                fields=["assignee", "status"],
                condition=Q(assignee__isnull=False),
                name="ticket_assignee_status",
            ),
            models.Index(fields=["language", "status"], name="ticket_language_status"),
            models.Index(fields=["client_app", "-created_at"], name="ticket_app_created"),
            models.Index(fields=["status", "solved_at"], name="ticket_status_solved"),
            # dashboard windows (supportdesk.dashboards): "since T" scans on each timestamp;
            # a new ticket has none of them (nor released_by), so its insert writes no entry
            index_where_set("assigned_at", "ticket_assigned_at"),
            index_where_set("first_response_at", "ticket_first_response_at"),
            index_where_set("solved_at", "ticket_solved_at"),
            index_where_set("released_by", "ticket_released_by"),
            index_where_set("first_response_due_at", "ticket_first_response_due"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def reference(self) -> str:
        return f"{REFERENCE_PREFIX}{self.pk + REFERENCE_OFFSET}" if self.pk else ""

    @property
    def priority_name(self) -> str:
        return Priority(self.priority).api_name


def pk_from_reference(reference: str) -> int | None:
    """`SD-10342` → 342; anything else → None."""
    text = reference.strip().upper()
    if not text.startswith(REFERENCE_PREFIX) or not text[len(REFERENCE_PREFIX) :].isdigit():
        return None
    pk = int(text[len(REFERENCE_PREFIX) :]) - REFERENCE_OFFSET
    return pk if pk > 0 else None
