"""Read-only registrations of the rest of the tickets app: customers, messages, events.
Messages and events are written only by the services (the ticket page is where agents work)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from supportdesk.audit.services import actor_of, customer_read
from supportdesk.languages.formatting import when
from supportdesk.tickets.admin.selectors import tickets_for_workspace
from supportdesk.tickets.models import Customer, Message, Ticket, TicketEvent


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Lists to read: the page's width for the columns (no sidebar), times in the reader's
    short form on the reader's clock."""

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, context)

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, row: Any) -> str:
        return when(row.created_at)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _visible_tickets(request: HttpRequest) -> QuerySet[Ticket]:
    return tickets_for_workspace(Ticket.objects.all(), request=request)


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ("email", "name", "locale", "country", "timezone", "client_app")
    list_filter = ("client_app",)
    search_fields = ("email", "name")
    list_select_related = ("client_app",)

    def change_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> Any:
        customer = self.get_object(request, object_id)
        if customer is not None and request.method == "GET":
            customer_read(actor=actor_of(request), customer_id=customer.pk, via="admin")
        return super().change_view(request, object_id, *args, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Customer]:
        return (
            super()
            .get_queryset(request)
            .filter(tickets__in=_visible_tickets(request).values("pk"))
            .distinct()
        )


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "author_kind", "internal", "created", "excerpt")
    list_filter = ("author_kind", "internal")
    list_select_related = ("ticket",)
    search_fields = ("body",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Message]:
        return super().get_queryset(request).filter(ticket__in=_visible_tickets(request))

    @admin.display(description=_("body"))
    def excerpt(self, message: Message) -> str:
        return message.body[:80]


@admin.register(TicketEvent)
class TicketEventAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "kind", "actor_label", "created")
    list_filter = ("kind",)
    list_select_related = ("ticket",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[TicketEvent]:
        return super().get_queryset(request).filter(ticket__in=_visible_tickets(request))
