"""What the workspace's scripts need to know, handed to them as JSON in the page
(`json_script`): endpoints, intervals, neighbours for the keyboard, every label translated."""

from urllib.parse import parse_qs

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from supportdesk.tickets.admin.filters import (
    LIVE_QUEUES,
    QUEUE_ORDER,
    UNASSIGNED,
    in_queue,
    show_choice,
)
from supportdesk.tickets.admin.presence import HEARTBEAT_SECONDS
from supportdesk.tickets.admin.selectors import TicketPage, tickets_for_workspace
from supportdesk.tickets.models import Ticket

REFRESH_PARAM = "refresh"
DEFAULT_LIVE_SECONDS = 10
MIN_LIVE_SECONDS, MAX_LIVE_SECONDS = 2, 300
LIVE_ROWS_KNOWN = 500  # more than the live endpoint's rows: none of them looks new at load
NEIGHBOURS_SCANNED = 500  # next/previous look this far into the queue


def _seconds(request: HttpRequest, default: int) -> int:
    """`?refresh=N` (seconds, clamped) lets a test or a slow link poll faster or slower."""
    raw = str(getattr(request, "sd_refresh", "") or request.GET.get(REFRESH_PARAM, ""))
    seconds = int(raw) if raw.isdigit() and len(raw) < 6 else default
    return min(max(seconds, MIN_LIVE_SECONDS), MAX_LIVE_SECONDS)


def shortcut_labels(*, on_ticket: bool) -> list[list[str]]:
    """The keyboard help overlay (`?`), in the reader's language (docs/admin.md)."""
    if not on_ticket:
        return [
            ["j", _("Next ticket")],
            ["k", _("Previous ticket")],
            ["o / Enter", _("Open the chosen ticket")],
            ["/", _("Search (a reference such as SD-10501 finds the ticket anywhere)")],
            ["?", _("Show or hide these shortcuts")],
        ]
    return [
        ["j", _("Next ticket")],
        ["k", _("Previous ticket")],
        ["r", _("Reply to the customer")],
        ["n", _("Write an internal note")],
        ["m", _("Apply a macro")],
        ["s", _("Solve (with the reply, if any)")],
        ["Ctrl+Enter", _("Submit")],
        ["u", _("Back to the list")],
        ["?", _("Show or hide these shortcuts")],
    ]


def common_labels(*, on_ticket: bool) -> dict[str, object]:
    return {
        "shortcuts_title": _("Keyboard shortcuts"),
        "shortcuts": shortcut_labels(on_ticket=on_ticket),
        "close": _("Close"),
    }


def live_config(request: HttpRequest, *, show: str, tickets: QuerySet[Ticket]) -> dict[str, object]:
    """`tickets`: the user's visible tickets; the queue's rows now are what it already knows."""
    live = show in LIVE_QUEUES
    order = QUEUE_ORDER if show == UNASSIGNED else ("-created_at", "-id")  # as the endpoint
    known = in_queue(tickets, request=request, choice=show).order_by(*order)
    return {
        "url": f"{reverse('admin:tickets_ticket_live')}?show={show}" if live else "",
        "show": show,
        "known": list(known.values_list("pk", flat=True)[:LIVE_ROWS_KNOWN]) if live else [],
        "interval_ms": _seconds(request, DEFAULT_LIVE_SECONDS) * 1000,
        "labels": {
            **common_labels(on_ticket=False),
            "arrived": _("New in this list: %(references)s"),
            "unread": _("New"),
            "error": _("Could not refresh the list; retrying."),
        },
    }


def _came_from(request: HttpRequest) -> str:
    """The queue the agent opened this ticket from (the admin keeps the list's filters)."""
    filters = parse_qs(request.GET.get("_changelist_filters", ""))
    return show_choice(request, given=filters.get("show", [""])[0] or None)


def _neighbours(ticket: Ticket, queue: QuerySet[Ticket]) -> list[int | None]:
    ids = list(queue.values_list("pk", flat=True)[:NEIGHBOURS_SCANNED])
    if ticket.pk not in ids:
        return [ids[0] if ids else None, None]
    at = ids.index(ticket.pk)
    return [ids[at + 1] if at + 1 < len(ids) else None, ids[at - 1] if at > 0 else None]


def work_config(request: HttpRequest, *, ticket: Ticket, page: TicketPage) -> dict[str, object]:
    show = _came_from(request)
    visible = tickets_for_workspace(Ticket.objects.all(), request=request)
    queue = in_queue(visible, request=request, choice=show)
    queue = queue.order_by(*(QUEUE_ORDER if show == UNASSIGNED else ("-created_at", "-id")))
    following, preceding = _neighbours(ticket, queue)
    keep = request.GET.get("_changelist_filters", "")
    suffix = f"?_changelist_filters={keep}" if keep else ""

    def link(pk: int | None) -> str:
        return f"{reverse('admin:tickets_ticket_change', args=[pk])}{suffix}" if pk else ""

    return {
        "presence_url": reverse("admin:tickets_ticket_presence", args=[ticket.pk]),
        "interval_ms": _seconds(request, HEARTBEAT_SECONDS) * 1000,
        "after": page.thread[-1].pk if page.thread else 0,
        "next": link(following),
        "previous": link(preceding),
        "list": f"{reverse('admin:tickets_ticket_changelist')}?{keep}"
        if keep
        else reverse("admin:tickets_ticket_changelist"),
        "labels": {**common_labels(on_ticket=True), "no_more": _("No more tickets in this list.")},
    }
