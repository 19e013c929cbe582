"""Text of a message for the thread: HTML to text (html2text), sanitised HTML for display
(nh3), and the new part of a reply without quoted history or signature (mail-parser-reply).
The regular expressions of the reply parser are built once per process and reused."""

from __future__ import annotations

import functools
import re
from typing import Any

import html2text
import nh3
from mailparser_reply.constants import MAIL_LANGUAGES
from mailparser_reply.parser import EmailMessage

MAX_STRIP_CHARS = 100_000  # the reply parser's expressions are not linear on huge bodies
_QUOTED_TAIL = re.compile(r"(?:\n[ \t]*>[^\n]*)+\s*\Z")
_ATTRIBUTION = re.compile(r"\n[^\n]{4,300}:\s*\Z")


def html_to_text(html: str) -> str:
    converter = html2text.HTML2Text(bodywidth=0)
    converter.ignore_images = True
    converter.ignore_emphasis = True
    converter.ignore_tables = True
    converter.single_line_break = False
    return converter.handle(html).strip()


def sanitised_html(html: str) -> str:
    """HTML safe to show an agent: no scripts, styles, event handlers or remote frames."""
    return nh3.clean(html, link_rel="noopener noreferrer nofollow")


@functools.cache
def _template() -> EmailMessage:
    """One message whose compiled expressions (every language the parser knows) are reused."""
    template = EmailMessage(text="", languages=list(MAIL_LANGUAGES))
    _compiled = (template.HEADER_REGEX, template.SIGNATURE_REGEX, template.DISCLAIMERS_REGEX)
    return template


def _parsed(text: str) -> Any:
    template = _template()
    return EmailMessage(
        text=text,
        languages=list(template.languages),
        _header_regex=template.HEADER_REGEX,
        _disclaimers_regex=template.DISCLAIMERS_REGEX,
        _signature_regex=template.SIGNATURE_REGEX,
    ).read()


def reply_text(text: str) -> str:
    """The new part of `text`: quoted history (`On … wrote:`, `Am … schrieb:`, `> …`,
    Outlook separators) and signatures removed. Never empty when `text` is not."""
    head = text[:MAX_STRIP_CHARS]
    try:
        replies = _parsed(head).replies
    except (RecursionError, re.error):  # pragma: no cover - the parser's own failure
        replies = []
    reply = replies[0].body if replies else head
    unquoted = _QUOTED_TAIL.sub("", "\n" + reply).strip()
    if unquoted != reply.strip():  # an attribution line ("… wrote:") in any language
        unquoted = _ATTRIBUTION.sub("", unquoted).strip()
    return unquoted or text.strip()
