"""The files of an agent's reply, in the customer's e-mail: attached while their total stays
within ATTACHMENT_EMAIL_MAX_BYTES (in the order they were added), as signed, expiring links
past that."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage

from supportdesk.attachments.links import link_for
from supportdesk.attachments.models import Attachment
from supportdesk.attachments.storage import attachment_storage
from supportdesk.tickets.models import Message


@dataclass(frozen=True, slots=True)
class EmailFile:
    attachment: Attachment
    link: str  # "" when the file travels attached

    @property
    def name(self) -> str:
        return self.attachment.name

    @property
    def size(self) -> int:
        return self.attachment.size


def email_files(*, message: Message) -> tuple[EmailFile, ...]:
    """The public message's files, each either attached or linked. An internal note has none."""
    if message.internal:
        return ()
    budget = settings.ATTACHMENT_EMAIL_MAX_BYTES
    out = []
    for attachment in Attachment.objects.filter(message=message).order_by("created_at", "id"):
        if attachment.size <= budget:
            budget -= attachment.size
            out.append(EmailFile(attachment=attachment, link=""))
        else:
            budget = -1  # keep the order: once one file is linked, the rest are too
            out.append(EmailFile(attachment=attachment, link=link_for(attachment=attachment)))
    return tuple(out)


def email_attach(mail: EmailMessage, *, files: tuple[EmailFile, ...]) -> None:
    """Attach the files that travel attached (read from storage, at most the budget)."""
    storage = attachment_storage()
    for file in files:
        if not file.link:
            with storage.open(file.attachment.storage_key, "rb") as stored:
                mail.attach(file.name, stored.read(), file.attachment.content_type)
