"""The errors a refused file gets (400, 413, 415), each naming the file: one wording whether
the file is checked after it was received (forms, e-mail) or while it arrives (the API)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from supportdesk.attachments.limits import AttachmentLimits, megabytes
from supportdesk.core.exceptions import InvalidInput, TooLarge, UnsupportedType

FIELD = "files"


def shown(name: str) -> str:
    """A name safe to quote in a message: control characters made visible."""
    return "".join(char if char.isprintable() else "\N{REPLACEMENT CHARACTER}" for char in name)


def name_refused(name: str) -> InvalidInput:
    """The error for a file name with control characters or `..` parts (400)."""
    message = _("The file name “{name}” is not allowed.").format(name=shown(name))
    return InvalidInput(message, field=FIELD)


def empty_file(name: str) -> InvalidInput:
    return InvalidInput(_("The file “{name}” is empty.").format(name=name), field=FIELD)


def file_too_large(name: str, limits: AttachmentLimits) -> TooLarge:
    return TooLarge(
        _("The file “{name}” is larger than {limit}.").format(
            name=name, limit=megabytes(limits.max_file_bytes)
        )
    )


def type_refused(name: str, content_type: str) -> UnsupportedType:
    return UnsupportedType(
        _(
            "The file “{name}” is of a type that is not accepted ({content_type}); "
            "send documents (PDF, office, text) or images."
        ).format(name=name, content_type=content_type)
    )


def too_many_files(limits: AttachmentLimits) -> InvalidInput:
    return InvalidInput(
        _("A message can have at most {count} files.").format(count=limits.max_files),
        field=FIELD,
    )


def message_too_large(limits: AttachmentLimits) -> TooLarge:
    return TooLarge(
        _("The files of one message may together be at most {limit}.").format(
            limit=megabytes(limits.max_message_bytes)
        )
    )
