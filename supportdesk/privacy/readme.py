"""The README of an export, in the customer's language (else DEFAULT_LANGUAGE)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

FORMAT_VERSION = 1


def export_language(locale: str) -> str:
    """The UI language closest to the customer's locale (`pt-BR` → `pt-br`, `nl-BE` → `nl`)."""
    try:
        return translation.get_supported_language_variant(locale.lower())
    except LookupError:
        return str(settings.DEFAULT_LANGUAGE)


def readme_text(*, language: str, application: str, include_internal: bool) -> str:
    with translation.override(language):
        lines = [
            _("Your data held by %(application)s's support desk") % {"application": application},
            "",
            _("This archive holds everything the support desk stores about you: your details, "
              "every ticket with its messages and history, the files you and the agents sent, "
              "the e-mails sent to you and the notifications sent about your tickets to "
              "%(application)s.") % {"application": application},
            "",
            _("Files (format version %(version)s):") % {"version": FORMAT_VERSION},
            _("- manifest.json: the format, its version and when this archive was made"),
            _("- customer.json: your name, e-mail address, language, country and time zone"),
            _("- tickets/<reference>.json: one ticket each, with its messages and events"),
            _("- attachments/<reference>/<id>: the files of a ticket's messages"),
            _("- emails.json: the e-mails sent to you (when and about what)"),
            _("- webhooks.json: the notifications sent to %(application)s about your tickets")
            % {"application": application},
            "",
        ]  # fmt: skip
        if include_internal:
            lines.append(_("This archive includes the agents' internal notes."))
        else:
            lines.append(_("Agents' internal notes are not included."))
        lines.append(_("All times are in UTC (ISO 8601)."))
    return "\n".join(lines) + "\n"
