from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from supportdesk.api.v1.tickets.serializers import PRIORITY_NAMES
from supportdesk.tickets.models import Priority, Ticket, TicketStatus, pk_from_reference


class UtcDateTimeField(IsoDateTimeField):
    """ISO 8601, turned into UTC here: PostgreSQL refuses offsets Python accepts (+22:14)."""

    def to_python(self, value: object) -> datetime | None:
        parsed: datetime | None = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(UTC)
        except OverflowError as exc:
            raise ValidationError(_("Enter a valid date/time."), code="invalid") from exc


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class TicketFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=TicketStatus.choices)
    language = filters.CharFilter(
        field_name="language", lookup_expr="iexact", help_text=_("BCP 47 tag, e.g. pt-BR")
    )
    priority = filters.ChoiceFilter(
        choices=[(name, name) for name in PRIORITY_NAMES], method="filter_priority"
    )
    customer_email = filters.CharFilter(field_name="customer__email", lookup_expr="iexact")
    reference = filters.CharFilter(method="filter_reference", help_text=_("e.g. SD-10342"))
    created_after = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UtcDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Ticket
        fields = ("status", "language", "priority", "customer_email")

    def filter_reference(
        self, queryset: QuerySet[Ticket], name: str, value: str
    ) -> QuerySet[Ticket]:
        return queryset.filter(pk=pk_from_reference(value) or 0)

    def filter_priority(
        self, queryset: QuerySet[Ticket], name: str, value: str
    ) -> QuerySet[Ticket]:
        return queryset.filter(priority=Priority.from_api_name(value).value)
