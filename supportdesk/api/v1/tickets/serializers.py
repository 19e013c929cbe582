"""Ticket representations (DESIGN §6). Input serializers check shape; services decide."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from supportdesk.agents.models import Agent
from supportdesk.api import validation
from supportdesk.api.fields import RefusesServerFields, StrictCharField
from supportdesk.api.reusable import ReusableInputSerializer
from supportdesk.api.v1.attachments.serializers import (
    AttachmentDetailSerializer,
    attachments_representation,
    files_field,
)
from supportdesk.attachments.selectors import attachments_of_ticket
from supportdesk.routing.selectors import routing_explanation
from supportdesk.tickets.commands import NewCustomer, NewTicket
from supportdesk.tickets.models import (
    Channel,
    Customer,
    LanguageSource,
    Priority,
    Ticket,
    TicketStatus,
)
from supportdesk.tickets.services import TicketChanges

PRIORITY_NAMES = [priority.api_name for priority in Priority]
CUSTOMER_REPRESENTATION = ("email", "name", "locale", "country", "timezone")
TIMESTAMPS = (
    "created_at",
    "updated_at",
    "assigned_at",
    "first_response_at",
    "solved_at",
    "first_response_due_at",
    "resolution_due_at",
)
_DATETIME = serializers.DateTimeField()  # DRF's format, in the request's active time zone


def _optional(convert: Callable[[Any], Any], value: object) -> object:
    return None if value is None else convert(value)


MAX_TAGS = 20
MAX_TAG_CHARS = 50


class TicketCustomerSerializer(serializers.Serializer[Customer]):
    email = serializers.EmailField(max_length=254)
    name = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    locale = StrictCharField(
        required=False, allow_blank=True, default="", help_text=_("BCP 47 tag, e.g. nl-BE")
    )
    country = StrictCharField(
        required=False, allow_blank=True, default="", help_text=_("ISO 3166-1 alpha-2, e.g. NL")
    )
    timezone = StrictCharField(
        required=False, allow_blank=True, default="", help_text=_("IANA, e.g. Europe/Amsterdam")
    )

    def validate_name(self, value: str) -> str:
        return validation.single_line(value)

    def validate_locale(self, value: str) -> str:
        return validation.language_tag(value) if value else ""

    def validate_country(self, value: str) -> str:
        return validation.country(value) if value else ""

    def validate_timezone(self, value: str) -> str:
        return validation.time_zone(value) if value else ""


class TicketAssigneeSerializer(serializers.Serializer[Agent]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


class TicketDetailSerializer(serializers.Serializer[Ticket]):
    """A ticket as clients and staff see it. Every field is server-set or read-only here."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    reference = serializers.CharField(read_only=True, help_text=_("e.g. SD-10342"))
    subject = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=TicketStatus.values, read_only=True)
    priority = serializers.ChoiceField(
        choices=PRIORITY_NAMES, source="priority_name", read_only=True
    )
    language = serializers.CharField(read_only=True)
    language_source = serializers.ChoiceField(choices=LanguageSource.values, read_only=True)
    language_confidence = serializers.FloatField(allow_null=True, read_only=True)
    channel = serializers.ChoiceField(choices=Channel.values, read_only=True)
    customer = TicketCustomerSerializer(read_only=True)
    assignee = TicketAssigneeSerializer(allow_null=True, read_only=True)
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    external_id = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    assigned_at = serializers.DateTimeField(allow_null=True, read_only=True)
    first_response_at = serializers.DateTimeField(allow_null=True, read_only=True)
    solved_at = serializers.DateTimeField(allow_null=True, read_only=True)
    first_response_due_at = serializers.DateTimeField(allow_null=True, read_only=True)
    resolution_due_at = serializers.DateTimeField(allow_null=True, read_only=True)
    routing = serializers.SerializerMethodField(
        help_text=_(
            "Staff, one ticket: why it is assigned or why it waits (state, summary, trace). "
            "Null for client applications and in lists."
        )
    )

    attachments = serializers.SerializerMethodField(
        help_text=_("Files of the thread the caller may read (internal notes' files: staff only).")
    )

    @extend_schema_field(AttachmentDetailSerializer(many=True))
    def get_attachments(self, ticket: Ticket) -> list[dict[str, Any]]:
        """From the view's `attachments` context (a page's files, fetched at once) when given,
        else one query."""
        known = self.context.get("attachments")
        if known is not None:
            files = known.get(ticket.pk, [])
        else:
            include_internal = bool(self.context.get("include_internal"))
            files = attachments_of_ticket(ticket=ticket, include_internal=include_internal)
        return attachments_representation(files, self.context.get("request"))

    @extend_schema_field({"type": "object", "nullable": True, "additionalProperties": True})
    def get_routing(self, ticket: Ticket) -> dict[str, object] | None:
        if not self.context.get("show_routing"):
            return None
        return routing_explanation(ticket=ticket)

    def to_representation(self, instance: Ticket) -> dict[str, Any]:
        """The fields above, written out: DRF would deep-copy ~30 field objects per ticket
        to produce the same dict (a third of a ticket list's time). The declarations stay the
        schema; tests/api/v1/test_representation.py holds the two together."""
        ticket, when = instance, _DATETIME.to_representation
        customer, assignee = ticket.customer, ticket.assignee
        return {
            "id": str(ticket.public_id),
            "reference": ticket.reference,
            "subject": ticket.subject,
            "status": ticket.status,
            "priority": ticket.priority_name,
            "language": ticket.language,
            "language_source": ticket.language_source,
            "language_confidence": ticket.language_confidence,
            "channel": ticket.channel,
            "customer": {name: getattr(customer, name) for name in CUSTOMER_REPRESENTATION},
            "assignee": ({"id": assignee.pk, "name": assignee.display_name} if assignee else None),
            "tags": [str(tag) for tag in ticket.tags],
            "external_id": ticket.external_id,
            **{name: _optional(when, getattr(ticket, name)) for name in TIMESTAMPS},
            "routing": self.get_routing(ticket),
            "attachments": self.get_attachments(ticket),
        }


class TicketCreateInputSerializer(RefusesServerFields, ReusableInputSerializer[NewTicket]):
    server_fields = ("id", "reference", "status", "assignee", "language_source", *TIMESTAMPS)

    subject = StrictCharField(max_length=255)
    body = StrictCharField(max_length=settings.MAX_TICKET_BODY_CHARS)
    customer = TicketCustomerSerializer()
    language = StrictCharField(
        required=False, allow_null=True, help_text=_("BCP 47 tag; omit to resolve it")
    )
    priority = serializers.ChoiceField(choices=PRIORITY_NAMES, default="normal")
    tags = serializers.ListField(
        child=StrictCharField(max_length=MAX_TAG_CHARS),
        max_length=MAX_TAGS,
        required=False,
        default=list,
    )
    external_id = StrictCharField(max_length=100, required=False, allow_blank=True, default="")

    def validate_subject(self, value: str) -> str:
        subject = validation.single_line(value)
        if not subject:
            raise serializers.ValidationError(
                self.fields["subject"].error_messages["blank"], code="blank"
            )
        return subject

    def validate_language(self, value: str | None) -> str | None:
        return validation.language_tag(value) if value else None

    def validate_tags(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(tag for tag in value if tag))

    @staticmethod
    def to_command(data: dict[str, Any]) -> NewTicket:
        return NewTicket(
            subject=data["subject"],
            body=data["body"],
            customer=NewCustomer(**data["customer"]),
            language=data.get("language"),
            priority=Priority.from_api_name(data["priority"]).value,
            tags=tuple(data["tags"]),
            external_id=data["external_id"],
        )


class TicketCreateMultipartSerializer(serializers.Serializer[NewTicket]):
    """The multipart form of a create, for the schema: the JSON fields flattened (nested ones
    as `customer.email`, or the whole JSON body in `payload`) plus the files."""

    subject = serializers.CharField(max_length=255)
    body = serializers.CharField(max_length=settings.MAX_TICKET_BODY_CHARS)
    customer_email = serializers.EmailField()
    customer_name = serializers.CharField(required=False)
    customer_locale = serializers.CharField(required=False)
    customer_country = serializers.CharField(required=False)
    customer_timezone = serializers.CharField(required=False)
    language = serializers.CharField(required=False)
    priority = serializers.ChoiceField(choices=PRIORITY_NAMES, required=False)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    external_id = serializers.CharField(required=False)
    files = files_field()

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        """`customer.email` etc. are the form's field names."""
        fields = super().get_fields()
        for name in list(fields):
            if name.startswith("customer_"):
                fields[name.replace("customer_", "customer.", 1)] = fields.pop(name)
        return fields


class TicketUpdateInputSerializer(RefusesServerFields):
    server_fields = ("id", "reference", "subject", "language", "customer", *TIMESTAMPS)

    status = serializers.ChoiceField(choices=TicketStatus.values, required=False)
    priority = serializers.ChoiceField(choices=PRIORITY_NAMES, required=False)
    assignee = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text=_("An agent id, or null to unassign"),
    )

    def to_command(self) -> TicketChanges:
        data: dict[str, Any] = self.validated_data
        priority = data.get("priority")
        return TicketChanges(
            status=data.get("status"),
            priority=Priority.from_api_name(priority).value if priority else None,
            assign="assignee" in data,
            assignee_id=data.get("assignee"),
        )
