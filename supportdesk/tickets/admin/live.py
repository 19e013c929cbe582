"""The workspace's live endpoints (JSON, staff session):

- `GET  /admin/tickets/ticket/live/?show=mine-open|unassigned|mine` — the rows of one
  agent-sized queue (everyone's tickets are not polled: a count over the whole hub every few
  seconds per open tab is the dashboard's job), for the list page to notice arrivals without
  a reload;
- `POST /admin/tickets/ticket/<id>/presence/` — the heartbeat of an open ticket page: answers
  who else has the ticket open and how many messages arrived since the page was rendered
  (`after` = the newest message id the page showed); `leaving=1` when the page closes.

Every string the page shows is translated here; the scripts have no catalog.
"""

from babel.lists import format_list
from django.contrib.admin import ModelAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from supportdesk.languages.formatting import reader_locale
from supportdesk.tickets.admin.filters import LIVE_QUEUES, in_queue
from supportdesk.tickets.admin.presence import presence_beat, presence_leave
from supportdesk.tickets.admin.selectors import acting_agent, messages_since
from supportdesk.tickets.models import Ticket

LIVE_ROWS = 100


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


def live_queue(model_admin: ModelAdmin[Ticket], request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return _error(_("Use GET."), 405)
    show = request.GET.get("show", "")
    if show not in LIVE_QUEUES:
        return _error(
            _("Unknown queue; use one of: %(queues)s.") % {"queues": ", ".join(LIVE_QUEUES)}, 400
        )
    tickets: QuerySet[Ticket] = in_queue(
        model_admin.get_queryset(request), request=request, choice=show
    )
    ordering = model_admin.get_ordering(request) or ("-created_at", "-id")
    rows = [
        {
            "id": ticket.pk,
            "reference": ticket.reference,
            "subject": ticket.subject,
            "status": ticket.status,
            "priority": ticket.priority_name,
            "language": ticket.language,
            "url": reverse("admin:tickets_ticket_change", args=[ticket.pk]),
        }
        for ticket in tickets.order_by(*ordering)[:LIVE_ROWS]
    ]
    return JsonResponse({"show": show, "count": tickets.count(), "rows": rows})


def ticket_presence(
    model_admin: ModelAdmin[Ticket], request: HttpRequest, object_id: str
) -> HttpResponse:
    if request.method != "POST":
        return _error(_("Use POST."), 405)
    ticket = model_admin.get_object(request, object_id)
    if ticket is None:
        return _error(_("No such ticket."), 404)
    user = request.user
    user_id = int(user.pk or 0)  # admin_view: a signed-in staff user
    if request.POST.get("leaving"):
        presence_leave(ticket_id=ticket.pk, user_id=user_id)
        return HttpResponse(status=204)
    agent = acting_agent(request)
    name = agent.display_name if agent else user.get_username()
    others = presence_beat(ticket_id=ticket.pk, user_id=user_id, name=name)
    after = request.POST.get("after", "")
    arrived = (
        messages_since(ticket=ticket, seen=int(after), viewer_user_id=user_id).count()
        if after.isdigit() and len(after) < 19
        else 0
    )
    names = [viewer.name for viewer in others]
    return JsonResponse(
        {
            "viewers": names,
            "viewing": (
                _("Also viewing this ticket: %(names)s")
                % {"names": format_list(names, locale=reader_locale())}
                if names
                else ""
            ),
            "new_messages": arrived,
            "arrived": (
                _("New messages since you opened this ticket: %(count)s. Reload to read them.")
                % {"count": arrived}
                if arrived
                else ""
            ),
        }
    )
