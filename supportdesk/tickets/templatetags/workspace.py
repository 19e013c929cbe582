"""Template helpers of the agents' workspace: dates in the reader's locale (Babel/CLDR),
e-mail addresses that break only at their dots and @, and who is a manager."""

from datetime import datetime

from django import template
from django.http import HttpRequest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from supportdesk.agents.selectors import is_manager
from supportdesk.languages.formatting import when

register = template.Library()


@register.filter
def local_when(value: datetime | None, length: str = "short") -> str:
    """`{{ message.created_at|local_when }}`: the agent's clock, the agent's order."""
    return when(value, length=length)


@register.filter
def email_breaks(address: str) -> SafeString:
    """An e-mail address that may break only after its dots and before its @ (`<wbr>`), each
    piece kept whole (the list's CSS forbids breaks inside words), so a narrow column never
    splits `anna.smit@example.org` in the middle of a name."""
    local, at, domain = (address or "").partition("@")

    def dotted(text: str) -> str:
        return ".<wbr>".join(escape(piece) for piece in text.split("."))

    html = dotted(local) + (f"<wbr>@{dotted(domain)}" if at else "")
    return mark_safe(f'<span class="sd-email">{html}</span>')  # noqa: S308 - every piece escaped


@register.simple_tag(takes_context=True)
def user_is_manager(context: template.Context) -> bool:
    request: HttpRequest | None = context.get("request")
    return bool(request is not None and request.user.is_staff and is_manager(request.user))
