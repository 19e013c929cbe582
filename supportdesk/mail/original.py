"""A received e-mail as it arrived, for staff who may see its ticket (ADR 0016): its headers,
its full text with the quoted history the thread leaves out, its sanitised HTML and the raw
RFC 5322 bytes as a download. Reached from the message in the ticket's thread; a message of
a ticket the reader may not see is a 404, as the ticket is.

The HTML (already cleaned by nh3 when the message landed) is served on its own URL with a
policy of its own — no scripts, no remote images (a tracking pixel would tell the sender the
mail was read), no forms, framed only by our page — and shown in a sandboxed iframe."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass

from django.contrib.admin import AdminSite
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from supportdesk.audit.services import actor_of, ticket_read
from supportdesk.mail.models import InboundMessage
from supportdesk.mail.parsing import decoded_header
from supportdesk.mail.selectors import inbound_message_for_reader
from supportdesk.tickets.admin.selectors import is_manager_request, tickets_for_workspace
from supportdesk.tickets.models import Ticket

MAIN_HEADERS = ("From", "To", "Cc", "Reply-To", "Date", "Subject", "Message-ID", "In-Reply-To")
# the HTML frame's own policy (the page's would allow our scripts and images)
HTML_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'; sandbox"
)
HTML_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><base target="_blank">'
    "<style>body{{font:14px/1.5 system-ui,sans-serif;margin:8px;overflow-wrap:anywhere}}"
    "img{{max-width:100%}}</style></head><body>{html}</body></html>"
)


@dataclass(frozen=True, slots=True)
class Original:
    row: InboundMessage
    headers: list[tuple[str, str]]  # the main ones, decoded, in MAIN_HEADERS order
    all_headers: list[tuple[str, str]]  # every header as it arrived, decoded


def _readable(request: HttpRequest, pk: str, *, audit: bool = True) -> InboundMessage:
    if not pk.isdigit() or len(pk) > 18:
        raise Http404
    row = inbound_message_for_reader(
        pk=int(pk),
        visible=tickets_for_workspace(Ticket.objects.all(), request=request),
        reads_log=is_manager_request(request),
    )
    if row is None:
        raise Http404
    if audit and row.ticket is not None:
        ticket_read(actor=actor_of(request), ticket=row.ticket, via="admin")  # audit trail
    return row


def _original(row: InboundMessage) -> Original:
    raw = bytes(row.raw)
    message = email.message_from_bytes(raw, policy=email.policy.compat32) if raw else None
    items = message.items() if message is not None else []
    every = [(name, decoded_header(value)) for name, value in items]
    first: dict[str, str] = {}
    for name, value in every:
        first.setdefault(name.lower(), value)
    main = [(name, first[name.lower()]) for name in MAIN_HEADERS if name.lower() in first]
    return Original(row, main, every)


def original_page(site: AdminSite, request: HttpRequest, pk: str) -> TemplateResponse:
    row = _readable(request, pk)
    context = {
        **site.each_context(request),
        "title": _("Original e-mail"),
        "subtitle": row.subject,
        "original": _original(row),
        "is_nav_sidebar_enabled": False,
    }
    return TemplateResponse(request, "admin/mail/original.html", context)


@xframe_options_sameorigin
def original_html(request: HttpRequest, pk: str) -> HttpResponse:
    row = _readable(request, pk, audit=False)  # a part of the page, which recorded the read
    page = HTML_PAGE.format(html=row.html)  # sanitised by nh3 when it landed
    response = HttpResponse(page, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = HTML_POLICY
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


def original_download(request: HttpRequest, pk: str) -> HttpResponse:
    row = _readable(request, pk)
    if not bytes(row.raw):
        raise Http404  # erased (docs/privacy.md)
    name = f"{row.ticket.reference if row.ticket else 'inbound'}-{row.pk}.eml"
    response = HttpResponse(bytes(row.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
