"""A reply the ticket page sent but a service refused after a redirect (applying a macro): its
text, kind and macro are kept in the agent's session for the next showing of that ticket's
page, so the agent fixes what was refused instead of typing the reply again (the picker arms
the macro again without touching the text). Files cannot be kept: a browser never lets a page
fill in a file input."""

from typing import TypedDict

from django.http import HttpRequest

from supportdesk.tickets.admin.forms import INTERNAL, PUBLIC

KEY = "sd_reply_draft"


class Draft(TypedDict):
    reply_body: str
    reply_kind: str
    macro: int | None


def draft_keep(
    request: HttpRequest, *, ticket_pk: int, body: str, kind: str, macro: int | None = None
) -> None:
    """Remember the refused reply for this ticket (one per ticket; the newest wins)."""
    if not body.strip():
        return
    kind = kind if kind in (PUBLIC, INTERNAL) else PUBLIC
    drafts = dict(request.session.get(KEY, {}))
    drafts[str(ticket_pk)] = Draft(reply_body=body, reply_kind=kind, macro=macro)
    request.session[KEY] = drafts


def draft_take(request: HttpRequest, *, ticket_pk: int) -> Draft | None:
    """The refused reply for this ticket, once: showing it again is the agent's to decide."""
    drafts = dict(request.session.get(KEY, {}))
    kept = drafts.pop(str(ticket_pk), None)
    if kept is None:
        return None
    request.session[KEY] = drafts
    macro = kept.get("macro")
    return Draft(
        reply_body=str(kept["reply_body"]),
        reply_kind=str(kept["reply_kind"]),
        macro=macro if isinstance(macro, int) else None,
    )
