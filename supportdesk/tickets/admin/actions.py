"""Changelist actions: take, release to the queue, solve, reassign. Each calls the ticket
services the API uses; a refusal (a domain rule) is a message, never a 500."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from supportdesk.agents.models import Agent
from supportdesk.core.exceptions import DomainError
from supportdesk.tickets.admin.forms import ReassignForm, languages_label
from supportdesk.tickets.admin.selectors import acting_agent, reassign_candidates
from supportdesk.tickets.models import Ticket, TicketStatus
from supportdesk.tickets.services import (
    ticket_assign_manual,
    ticket_set_status,
)


def _each(
    request: HttpRequest, tickets: QuerySet[Ticket], change: Callable[[Ticket], object]
) -> int:
    """Apply `change` to every ticket; report refusals by reference; return the successes."""
    done = 0
    for ticket in tickets.order_by("pk"):
        try:
            change(ticket)
        except DomainError as exc:
            messages.error(
                request,
                _("%(reference)s: %(reason)s")
                % {"reference": ticket.reference, "reason": exc.message},
            )
        else:
            done += 1
    return done


def _done(request: HttpRequest, count: int, text: str) -> None:
    if count:
        messages.success(request, text)


def _agent_or_refuse(request: HttpRequest) -> Agent | None:
    agent = acting_agent(request)
    if agent is None:
        messages.error(request, _("You need an agent profile to work tickets."))
    return agent


@admin.action(description=gettext_lazy("Take"), permissions=["change"])
def take(model_admin: Any, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
    agent = _agent_or_refuse(request)
    if agent is None:
        return
    agent.refresh_from_db(fields=["load", "capacity"])
    tickets = queryset.exclude(assignee=agent)
    insist = request.POST.get("insist") == "on"
    room = agent.free_capacity
    adds_load = tickets.filter(status__in=[TicketStatus.NEW, TicketStatus.OPEN]).count()
    if not insist and adds_load > room:
        messages.warning(
            request,
            _(
                "You have room for %(room)s more open tickets and chose %(chosen)s. "
                "Take fewer, or tick “Insist” to take them anyway."
            )
            % {"room": room, "chosen": adds_load},
        )
        return
    count = _each(
        request,
        tickets,
        lambda t: ticket_assign_manual(ticket_id=t.pk, agent_id=agent.pk, actor=agent),
    )
    _done(
        request,
        count,
        ngettext("You took %(count)d ticket.", "You took %(count)d tickets.", count)
        % {"count": count},
    )


@admin.action(description=gettext_lazy("Release to the queue"), permissions=["change"])
def release(model_admin: Any, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
    agent = acting_agent(request)
    tickets = queryset.filter(assignee__isnull=False)
    count = _each(
        request, tickets, lambda t: ticket_assign_manual(ticket_id=t.pk, agent_id=None, actor=agent)
    )
    _done(
        request,
        count,
        ngettext(
            "%(count)d ticket went back to the queue.",
            "%(count)d tickets went back to the queue.",
            count,
        )
        % {"count": count},
    )


@admin.action(description=gettext_lazy("Solve"), permissions=["change"])
def solve(model_admin: Any, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
    agent = acting_agent(request)
    tickets = queryset.exclude(status__in=[TicketStatus.SOLVED, TicketStatus.CLOSED])
    count = _each(
        request,
        tickets,
        lambda t: ticket_set_status(ticket_id=t.pk, status=TicketStatus.SOLVED, actor=agent),
    )
    _done(
        request,
        count,
        ngettext("%(count)d ticket solved.", "%(count)d tickets solved.", count) % {"count": count},
    )


@admin.action(description=gettext_lazy("Reassign…"), permissions=["change"])
def reassign(
    model_admin: Any, request: HttpRequest, queryset: QuerySet[Ticket]
) -> HttpResponse | None:
    """Two steps: the list of agents who speak the tickets' language(s), with their load; then
    the assignment."""
    languages = sorted(set(queryset.values_list("language", flat=True)))
    candidates = reassign_candidates(languages=languages)
    form = ReassignForm(request.POST if "apply" in request.POST else None, candidates=candidates)
    if form.is_valid():
        agent_id = form.cleaned_data["agent"]
        actor = acting_agent(request)
        count = _each(
            request,
            queryset,
            lambda t: ticket_assign_manual(ticket_id=t.pk, agent_id=agent_id, actor=actor),
        )
        _done(
            request,
            count,
            ngettext("%(count)d ticket reassigned.", "%(count)d tickets reassigned.", count)
            % {"count": count},
        )
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Reassign tickets"),
        "opts": model_admin.model._meta,
        "tickets": queryset,
        "languages": languages_label(languages),
        "form": form,
        "candidates": candidates,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/tickets/ticket/reassign.html", context)
