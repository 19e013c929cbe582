"""Template helpers of the agents' workspace: dates in the reader's locale (Babel/CLDR),
e-mail addresses that break only at their dots and @, and who is a manager."""

from collections.abc import Mapping
from datetime import datetime

from django import template
from django.http import HttpRequest

from supportdesk.languages.formatting import when
from supportdesk.tickets.admin.display import email_breaks
from supportdesk.tickets.admin.selectors import is_manager_request

register = template.Library()


@register.filter
def local_when(value: datetime | None, length: str = "short") -> str:
    """`{{ message.created_at|local_when }}`: the agent's clock, the agent's order."""
    return when(value, length=length)


register.filter("email_breaks", email_breaks)


@register.filter
def lookup(mapping: Mapping[int, int], key: int) -> int | None:
    """`{{ page.originals|lookup:message.pk }}`: a value of a mapping by key, or None."""
    return mapping.get(key)


@register.simple_tag(takes_context=True)
def user_is_manager(context: template.Context) -> bool:
    request: HttpRequest | None = context.get("request")
    return bool(request is not None and request.user.is_staff and is_manager_request(request))
