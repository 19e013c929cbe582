"""Small pieces of workspace markup shared by the list columns and the templates."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def email_breaks(address: str) -> SafeString:
    """An e-mail address that may break only after its dots and before its @ (`<wbr>`), each
    piece kept whole (the list's CSS forbids breaks inside words), so a narrow column never
    splits `anna.smit@example.org` in the middle of a name. Always left to right, also in an
    Arabic page."""
    local, at, domain = (address or "").partition("@")

    def dotted(text: str) -> str:
        return ".<wbr>".join(escape(piece) for piece in text.split("."))

    html = dotted(local) + (f"<wbr>@{dotted(domain)}" if at else "")
    return mark_safe(f'<span class="sd-email" dir="ltr">{html}</span>')  # noqa: S308 - escaped
