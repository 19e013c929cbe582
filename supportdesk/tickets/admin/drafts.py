"""A reply the ticket page sent but a service refused after a redirect (applying a macro): its
text and kind are kept in the agent's session for the next showing of that ticket's page, so
the agent fixes what was refused instead of typing the reply again. Files cannot be kept: a
browser never lets a page fill in a file input."""

from typing import TypedDict

from django.http import HttpRequest

from supportdesk.tickets.admin.forms import INTERNAL, PUBLIC

KEY = "sd_reply_draft"


class Draft(TypedDict):
    reply_body: str
    reply_kind: str


def draft_keep(request: HttpRequest, *, ticket_pk: int, body: str, kind: str) -> None:
    """Remember the refused reply for this ticket (one per ticket; the newest wins)."""
    if not body.strip():
        return
    kind = kind if kind in (PUBLIC, INTERNAL) else PUBLIC
    drafts = dict(request.session.get(KEY, {}))
    drafts[str(ticket_pk)] = Draft(reply_body=body, reply_kind=kind)
    request.session[KEY] = drafts


def draft_take(request: HttpRequest, *, ticket_pk: int) -> Draft | None:
    """The refused reply for this ticket, once: showing it again is the agent's to decide."""
    drafts = dict(request.session.get(KEY, {}))
    kept = drafts.pop(str(ticket_pk), None)
    if kept is None:
        return None
    request.session[KEY] = drafts
    return Draft(reply_body=str(kept["reply_body"]), reply_kind=str(kept["reply_kind"]))
