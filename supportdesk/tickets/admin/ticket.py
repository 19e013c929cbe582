"""The agents' workspace: the ticket list and the ticket page. Every change goes through
`supportdesk.tickets.services`, the same functions the API calls."""

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.expressions import Combinable
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from supportdesk.attachments.refusals import FIELD as FILES_FIELD
from supportdesk.attachments.services import incoming_files
from supportdesk.audit.services import actor_of, ticket_read
from supportdesk.core.exceptions import DomainError, TooLarge, UnsupportedType
from supportdesk.languages.admin import language_label
from supportdesk.languages.formatting import when
from supportdesk.tickets.admin import actions
from supportdesk.tickets.admin.display import email_breaks
from supportdesk.tickets.admin.drafts import draft_take
from supportdesk.tickets.admin.filters import (
    EVERYONE,
    MINE,
    MINE_OPEN,
    QUEUE_ORDER,
    UNASSIGNED,
    LanguageFilter,
    ShowFilter,
    SlaFilter,
    show_choice,
)
from supportdesk.tickets.admin.forms import (
    INTERNAL,
    SubmitRefused,
    TicketWorkForm,
    WorkspaceActionForm,
)
from supportdesk.tickets.admin.live import live_queue, ticket_presence
from supportdesk.tickets.admin.page_config import REFRESH_PARAM, live_config, work_config
from supportdesk.tickets.admin.selectors import (
    acting_agent,
    messages_since,
    ticket_page,
    tickets_for_workspace,
)
from supportdesk.tickets.admin.uploads import files_skipped
from supportdesk.tickets.models import AuthorKind, Message, Ticket, TicketStatus, pk_from_reference
from supportdesk.tickets.services import (
    ticket_reply_with_files,
    ticket_set_priority,
    ticket_set_status,
)

LIST_TITLES = {
    MINE_OPEN: _("My open tickets"),
    MINE: _("Tickets assigned to me"),
    UNASSIGNED: _("Unassigned tickets, in queue order"),
    EVERYONE: _("All tickets"),
}
AT_RISK = timedelta(minutes=15)  # DESIGN §8: "at risk" = due within 15 minutes
WAITING_STATUSES = (TicketStatus.NEW, TicketStatus.OPEN)
DETAILS = (
    "subject",
    "language_label",
    "language_source",
    "channel",
    "client_app",
    "tags",
    "external_id",
    "created_at",
    "assigned_at",
    "first_response_at",
    "first_response_due_at",
    "resolution_due_at",
    "solved_at",
)


def _due(ticket: Ticket) -> datetime | None:
    if ticket.status not in WAITING_STATUSES and ticket.status != TicketStatus.PENDING:
        return None
    if ticket.first_response_at is None and ticket.first_response_due_at is not None:
        return ticket.first_response_due_at
    return ticket.resolution_due_at


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin[Ticket]):
    form = TicketWorkForm
    action_form = WorkspaceActionForm
    actions = (actions.take, actions.release, actions.solve, actions.reassign)
    change_form_template = "admin/tickets/ticket/change_form.html"
    list_display = (
        "reference",
        "subject_label",
        "customer_email",
        "language_label",
        "priority_label",
        "status_label",
        "waiting",
        "assignee_label",
        "deadline",
    )
    list_display_links = ("reference", "subject_label")
    list_filter = (ShowFilter, "status", LanguageFilter, "priority", SlaFilter)
    list_select_related = ("customer", "assignee__user")
    list_per_page = 50
    search_fields = ("subject", "customer__email")
    search_help_text = _("Reference (SD-10342), subject words or the customer's e-mail.")
    readonly_fields = (*DETAILS, "assignee_label")
    fieldsets = (
        (
            _("Reply"),
            {"fields": ("reply_body", "reply_kind", "reply_files", "seen_message", "confirm_send")},
        ),
        (_("Ticket"), {"fields": (("status", "priority"), "assignee_label")}),
        (_("Details"), {"classes": ("collapse",), "fields": DETAILS}),
    )

    # --- who sees what ----------------------------------------------------------------------
    def get_queryset(self, request: HttpRequest) -> QuerySet[Ticket]:
        last_customer = (
            Message.objects.filter(ticket=OuterRef("pk"), author_kind=AuthorKind.CUSTOMER)
            .order_by("-created_at")
            .values("created_at")[:1]
        )
        tickets = super().get_queryset(request).annotate(last_customer_at=Subquery(last_customer))
        return tickets_for_workspace(tickets, request=request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tickets arrive through the API

    def has_delete_permission(self, request: HttpRequest, obj: Ticket | None = None) -> bool:
        """Never, not even for managers or superusers: deleting bypasses the services and the
        event log (this also removes the "Delete selected" action and the delete page)."""
        return False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Ticket], search_term: str
    ) -> tuple[QuerySet[Ticket], bool]:
        pk = pk_from_reference(search_term)
        if pk is not None:
            return queryset.filter(pk=pk), False
        return super().get_search_results(request, queryset, search_term)

    # --- columns ----------------------------------------------------------------------------
    @admin.display(description=_("reference"), ordering="pk")
    def reference(self, ticket: Ticket) -> str:
        return ticket.reference

    @admin.display(description=_("subject"), ordering="subject")
    def subject_label(self, ticket: Ticket) -> SafeString:
        return format_html('<span dir="auto">{}</span>', ticket.subject)

    @admin.display(description=_("customer"), ordering="customer__email")
    def customer_email(self, ticket: Ticket) -> SafeString:
        return email_breaks(ticket.customer.email)

    @admin.display(description=_("language"), ordering="language")
    def language_label(self, ticket: Ticket) -> str:
        return language_label(ticket.language)

    @admin.display(description=_("priority"), ordering="priority")
    def priority_label(self, ticket: Ticket) -> SafeString:
        return format_html(
            '<span class="sd-badge sd-priority--{}">{}</span>',
            ticket.priority_name,
            ticket.get_priority_display(),
        )

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, ticket: Ticket) -> SafeString:
        return format_html(
            '<span class="sd-badge sd-status--{}">{}</span>',
            ticket.status,
            ticket.get_status_display(),
        )

    @admin.display(description=_("waiting"), ordering="last_customer_at")
    def waiting(self, ticket: Ticket) -> str:
        since: datetime | None = getattr(ticket, "last_customer_at", None)
        if ticket.status not in WAITING_STATUSES or since is None:
            return "—"
        return timesince(since, depth=1)

    @admin.display(description=_("assignee"), ordering="assignee__user__username")
    def assignee_label(self, ticket: Ticket) -> str:
        return ticket.assignee.display_name if ticket.assignee else str(_("unassigned"))

    @admin.display(description=_("deadline"))
    def deadline(self, ticket: Ticket) -> SafeString | str:
        due = _due(ticket)
        if due is None:
            return "—"
        left = due - timezone.now()
        state = "overdue" if left <= timedelta(0) else "at-risk" if left <= AT_RISK else "ok"
        return format_html(
            '<time class="sd-due sd-due--{}" datetime="{}">{}</time>',
            state,
            timezone.localtime(due).isoformat(),
            when(due),
        )

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("live/", wrap(partial(live_queue, self)), name="tickets_ticket_live"),
            path(
                "<path:object_id>/presence/",
                wrap(partial(ticket_presence, self)),
                name="tickets_ticket_presence",
            ),
            *super().get_urls(),
        ]

    def get_form(
        self, request: HttpRequest, obj: Ticket | None = None, change: bool = False, **kwargs: Any
    ) -> type[TicketWorkForm]:
        form = super().get_form(request, obj, change, **kwargs)
        posted = request.method == "POST"
        return type(
            form.__name__,
            (form,),
            {
                "viewer_user_id": request.user.pk,
                "files_over_limit": posted and files_skipped(request) > 0,
                "refused": getattr(request, "sd_refused", None),
                "draft": getattr(request, "sd_draft", None),
            },
        )

    # --- the list ----------------------------------------------------------------------------
    def get_ordering(
        self, request: HttpRequest
    ) -> list[str | Combinable] | tuple[str | Combinable, ...] | tuple[()]:
        """The unassigned queue reads in routing's order (DESIGN §5): urgent first, then the
        first-response deadline, then age."""
        if show_choice(request) == UNASSIGNED:
            return QUEUE_ORDER
        return super().get_ordering(request)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if REFRESH_PARAM in request.GET:  # the live list's poll interval, not a filter
            query = request.GET.copy()
            request.sd_refresh = query.pop(REFRESH_PARAM)[-1]  # type: ignore[attr-defined]
            request.GET = query  # type: ignore[assignment]  # Django's own pattern for this
        show = show_choice(request)
        context = {
            "is_nav_sidebar_enabled": False,  # the list needs the width (1366 px, Arabic)
            "title": LIST_TITLES[show],
            "live": live_config(request, show=show, tickets=self.get_queryset(request)),
            **(extra_context or {}),
        }
        if pk_from_reference(request.GET.get(SEARCH_VAR, "")) is not None:
            context["title"] = _("Search by reference")
        return super().changelist_view(request, extra_context=context)

    # --- the ticket page --------------------------------------------------------------------
    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        ticket = self.get_object(request, object_id)
        context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        if ticket is not None:
            if request.method == "GET":
                ticket_read(actor=actor_of(request), ticket=ticket, via="admin")  # audit trail
                draft = draft_take(request, ticket_pk=ticket.pk)  # a refused macro's text
                request.sd_draft = draft  # type: ignore[attr-defined]  # read by get_form
            visible = tickets_for_workspace(Ticket.objects.all(), request=request)
            context["page"] = ticket_page(ticket=ticket, visible=visible)
            context["work"] = work_config(request, ticket=ticket, page=context["page"])
            context["arrived"] = self._arrived(request, ticket)
            context["title"] = _("Ticket %(reference)s") % {"reference": ticket.reference}
        return super().change_view(request, object_id, form_url, extra_context=context)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """A submit a service refused (a file's type, size or name, a closed ticket, a status
        change) saved nothing: its transaction is rolled back. The same submit is then shown
        again as a form with an error on the refused field, so the agent sees why, no "changed
        successfully", and the reply text and every other field as sent."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except SubmitRefused as refused:
            request.sd_refused = refused  # type: ignore[attr-defined]  # read by get_form
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _arrived(self, request: HttpRequest, ticket: Ticket) -> list[Message]:
        """On a submit with a reply: the messages others wrote since the page was opened (the
        form then refuses to send until confirmed, and the page shows them first)."""
        seen = request.POST.get("seen_message", "")
        posted = request.method == "POST" and request.POST.get("reply_body", "").strip()
        if not posted or request.POST.get("confirm_send") or not seen.isdigit() or len(seen) > 18:
            return []
        return list(
            messages_since(ticket=ticket, seen=int(seen), viewer_user_id=request.user.pk or 0)
        )

    def save_model(self, request: HttpRequest, obj: Ticket, form: Any, change: bool) -> None:
        """The reply first, then status and priority: "reply and solve" in one submit. All or
        nothing; a refusal by a service raises `SubmitRefused` (see `changeform_view`)."""
        agent = acting_agent(request)
        data = form.cleaned_data
        step = REPLY
        try:
            with transaction.atomic():
                if data.get("reply_body"):
                    internal = data["reply_kind"] == INTERNAL
                    ticket_reply_with_files(
                        ticket_id=obj.pk,
                        body=data["reply_body"],
                        internal=internal,
                        actor=agent,
                        files=incoming_files(data.get("reply_files") or []),
                    )
                step = "status"
                if "status" in form.changed_data:
                    ticket_set_status(ticket_id=obj.pk, status=data["status"], actor=agent)
                step = "priority"
                if "priority" in form.changed_data:
                    ticket_set_priority(ticket_id=obj.pk, priority=data["priority"], actor=agent)
        except DomainError as exc:
            raise SubmitRefused(field=_refused_field(step, exc), message=str(exc.message)) from exc


REPLY = "reply"


def _refused_field(step: str, exc: DomainError) -> str:
    """Where the page shows a refusal: under the file input for a refused file, else under
    what the refused step changed."""
    if step != REPLY:
        return step
    if exc.field == FILES_FIELD or isinstance(exc, TooLarge | UnsupportedType):
        return "reply_files"
    return "reply_body"
