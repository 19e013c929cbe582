"""Changelist filters of the workspace. `ShowFilter` opens the list on the agent's own open
tickets; choosing "Everyone's" clears it."""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportdesk.languages.admin import language_label
from supportdesk.sla.selectors import at_risk_filter, breached_filter
from supportdesk.tickets.admin.selectors import acting_agent, is_manager_request
from supportdesk.tickets.models import Ticket, TicketStatus, pk_from_reference

if TYPE_CHECKING:
    from django.contrib.admin.filters import _ListFilterChoices

MINE_OPEN, MINE, UNASSIGNED, EVERYONE = "mine-open", "mine", "unassigned", "all"


LIVE_QUEUES = (MINE_OPEN, UNASSIGNED, MINE)  # the lists that refresh themselves
QUEUE_ORDER = ("-priority", "first_response_due_at", "created_at", "id")  # routing's order


def show_choice(request: HttpRequest, *, given: str | None = None) -> str:
    """The queue a list shows: `?show=` when valid, else the user's default — agents open on
    their own open tickets; managers (and staff without an agent profile) on everyone's."""
    if given is None:
        given = request.GET.get("show")
    if given in {MINE_OPEN, MINE, UNASSIGNED, EVERYONE}:
        return str(given)
    if is_manager_request(request) or acting_agent(request) is None:
        return EVERYONE
    return MINE_OPEN


def in_queue(tickets: QuerySet[Ticket], *, request: HttpRequest, choice: str) -> QuerySet[Ticket]:
    """The tickets of one queue (the list and its live endpoint share this)."""
    if choice == UNASSIGNED:
        return tickets.filter(assignee__isnull=True)
    if choice == EVERYONE:
        return tickets
    agent = acting_agent(request)
    mine = tickets.filter(assignee=agent) if agent else tickets.none()
    return mine.filter(status=TicketStatus.OPEN) if choice == MINE_OPEN else mine


class ShowFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "show"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            (MINE_OPEN, _("My open tickets")),
            (MINE, _("Assigned to me")),
            (UNASSIGNED, _("Unassigned")),
            (EVERYONE, _("Everyone's")),
        ]

    def value(self) -> str:
        return show_choice(self.request)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
        if pk_from_reference(request.GET.get(SEARCH_VAR, "")) is not None:
            return queryset  # a reference is found wherever it is (in the user's scope)
        return in_queue(queryset, request=request, choice=self.value())

    def choices(self, changelist: ChangeList) -> Iterator["_ListFilterChoices"]:
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class LanguageFilter(admin.SimpleListFilter):
    """The languages of the tickets the user can see, named in the user's language."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        tags = (
            model_admin.get_queryset(request)
            .order_by()
            .values_list("language", flat=True)
            .distinct()
        )
        return sorted(((tag, language_label(tag)) for tag in tags), key=lambda c: c[1].lower())

    def queryset(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
        value = super().value()
        return queryset.filter(language=value) if value else queryset


AT_RISK, BREACHED = "at-risk", "breached"


class SlaFilter(admin.SimpleListFilter):
    """First response at risk (due within 15 minutes) or breached, among waiting and open
    tickets — the same definitions as the managers' dashboard."""

    title = _("SLA")
    parameter_name = "sla"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(AT_RISK, _("At risk")), (BREACHED, _("Breached"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
        now = timezone.now()
        active = queryset.filter(status__in=[TicketStatus.NEW, TicketStatus.OPEN])
        if self.value() == AT_RISK:
            return active.filter(at_risk_filter(now))
        if self.value() == BREACHED:
            return active.filter(breached_filter(now))
        return queryset
