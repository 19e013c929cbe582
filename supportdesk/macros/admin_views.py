"""The admin's macro pages: the coverage matrix (managers), and for the ticket page's picker the
macros rendered for one ticket (JSON) and applying one with the agent's edited text."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from supportdesk.attachments.limits import attachment_limits
from supportdesk.attachments.refusals import too_many_files
from supportdesk.attachments.services import incoming_files
from supportdesk.core.exceptions import DomainError
from supportdesk.languages.admin import language_label
from supportdesk.macros.forms import MacroApplyForm
from supportdesk.macros.models import Macro
from supportdesk.macros.selectors import active_macros, choose_variant, coverage, language_chain
from supportdesk.macros.services import macro_apply, macro_render
from supportdesk.tickets.admin.drafts import draft_keep
from supportdesk.tickets.admin.selectors import acting_agent, admin_principal
from supportdesk.tickets.admin.uploads import files_skipped
from supportdesk.tickets.models import Priority, Ticket, TicketStatus
from supportdesk.tickets.selectors import tickets_visible_to
from supportdesk.tickets.services import ticket_set_priority, ticket_set_status


def _visible_ticket(request: HttpRequest, pk: int) -> Ticket:
    """The ticket if the signed-in user may see it (the tickets' one visibility rule), else 404."""
    visible = tickets_visible_to(principal=admin_principal(request))
    ticket: Ticket = get_object_or_404(visible, pk=pk)
    return ticket


def actions_summary(macro: Macro) -> list[str]:
    """The macro's actions in the reader's language, e.g. ["set status: solved"]."""
    fields = {
        f.name: f.verbose_name for f in Macro._meta.get_fields() if hasattr(f, "verbose_name")
    }
    lines = []
    if macro.set_status:
        lines.append(f"{fields['set_status']}: {TicketStatus(macro.set_status).label}")
    if macro.set_priority is not None:
        lines.append(f"{fields['set_priority']}: {Priority(macro.set_priority).label}")
    if macro.add_tags:
        lines.append(f"{fields['add_tags']}: {', '.join(macro.add_tags)}")
    return lines


def _ui_name(macro: Macro, chain: list[str]) -> str:
    """The macro's name in the agent's UI language (along its chain), else its own name."""
    variant = choose_variant(macro, chain=chain)
    return variant.name if variant is not None and variant.language in chain else macro.name


@require_GET
def picker_view(request: HttpRequest, ticket_pk: int) -> JsonResponse:
    """Every active macro rendered for this ticket: the name to search (agent's UI language), the
    text (ticket's language chain), the variant used, whether it is a note, its actions."""
    ticket = _visible_ticket(request, ticket_pk)
    agent = acting_agent(request)
    ui_chain = language_chain(get_language() or "en")
    ticket_chain = language_chain(ticket.language)
    found = []
    for macro in active_macros():
        try:
            rendered = macro_render(macro=macro, ticket=ticket, agent=agent, chain=ticket_chain)
        except DomainError:
            continue  # a macro without any text yet
        found.append(
            {
                "id": macro.pk,
                "name": _ui_name(macro, ui_chain),
                "language": rendered.language,
                "language_label": language_label(rendered.language),
                "fallback": rendered.fallback,
                "body": rendered.body,
                "internal": rendered.internal,
                "stale": rendered.stale,
                "actions": actions_summary(macro),
                "apply_url": reverse("admin:macros_macro_apply", args=[macro.pk, ticket.pk]),
            }
        )
    found.sort(key=lambda item: str(item["name"]).casefold())
    return JsonResponse({"macros": found})


@require_POST
def apply_view(request: HttpRequest, macro_pk: int, ticket_pk: int) -> HttpResponse:
    """The ticket page's form, sent with a macro chosen: the reply box's (edited) text goes out
    as the macro's reply or note (with any files), the macro's actions run, then a status or
    priority the agent changed on the page (the agent's explicit choice wins, as "reply and
    solve" does on a plain submit)."""
    ticket = _visible_ticket(request, ticket_pk)
    form = MacroApplyForm(request.POST)
    if files_skipped(request):  # as the service says for one file too many
        messages.error(request, str(too_many_files(attachment_limits()).message))
        return _back_with_draft(request, ticket, macro_pk)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return _back_with_draft(request, ticket, macro_pk)
    kind, agent = form.cleaned_data["reply_kind"], acting_agent(request)
    changes = form.page_changes(ticket)
    try:
        with (
            transaction.atomic()
        ):  # the macro, then what the agent changed on the page: all or nothing
            applied = macro_apply(
                macro_id=macro_pk,
                ticket_id=ticket.pk,
                actor=agent,
                body=form.cleaned_data["reply_body"],
                internal=(kind == "internal") if kind else None,
                files=incoming_files(request.FILES.getlist("reply_files")),
            )
            if "priority" in changes:
                ticket_set_priority(ticket_id=ticket.pk, priority=changes["priority"], actor=agent)
            if "status" in changes:
                ticket_set_status(ticket_id=ticket.pk, status=changes["status"], actor=agent)
    except DomainError as exc:
        if exc.code == "not-found":
            raise Http404(str(exc.message)) from exc
        messages.error(request, str(exc.message))
        return _back_with_draft(request, ticket, macro_pk)
    messages.success(
        request,
        _("Macro “%(macro)s” applied (text in %(language)s).")
        % {
            "macro": _ui_name(applied.rendered.macro, language_chain(get_language() or "en")),
            "language": language_label(applied.rendered.language),
        },
    )
    return redirect("admin:tickets_ticket_change", ticket.pk)


def _back_with_draft(request: HttpRequest, ticket: Ticket, macro_pk: int) -> HttpResponse:
    """Back to the ticket page after a refusal: the agent's text and kind in the reply box, the
    macro armed again."""
    body = request.POST.get("reply_body", "").replace("\x00", "")  # a NUL may be the refusal
    kind = request.POST.get("reply_kind", "")
    draft_keep(request, ticket_pk=ticket.pk, body=body, kind=kind, macro=macro_pk)
    return redirect("admin:tickets_ticket_change", ticket.pk)


def coverage_view(request: HttpRequest) -> TemplateResponse:
    """Macros by enabled languages for managers: missing and out-of-date texts at a glance."""
    if not request.user.has_perm("macros.change_macro"):
        raise PermissionDenied
    matrix = coverage()
    context: dict[str, Any] = {
        **admin.site.each_context(request),
        "title": _("Macro coverage"),
        "is_nav_sidebar_enabled": False,  # the matrix needs the width (31 languages)
        "languages": [(tag, language_label(tag)) for tag in matrix.languages],
        "rows": matrix.rows,
        "opts": Macro._meta,
    }
    return TemplateResponse(request, "admin/macros/macro/coverage.html", context)
