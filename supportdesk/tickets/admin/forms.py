"""Forms of the workspace: the ticket page (reply box, status, priority), the action bar
("insist" for take) and the reassign step."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.admin.helpers import ActionForm
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from supportdesk.agents.models import AgentLanguage
from supportdesk.attachments.limits import attachment_limits
from supportdesk.attachments.refusals import too_many_files
from supportdesk.languages.admin import language_label
from supportdesk.tickets.admin.selectors import Candidate, messages_since
from supportdesk.tickets.models import Message, Ticket, TicketStatus

PUBLIC, INTERNAL = "public", "internal"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the attachment services check them (type, size, name)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "reply-files"}))
        kwargs.setdefault("allow_empty_file", True)  # the service refuses it, naming the file
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        uploads = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in uploads if item]


class SubmitRefused(Exception):  # a signal to the ticket page, not an error
    """A service refused what the ticket page sent; `field` is where the page shows why."""

    def __init__(self, *, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class TicketWorkForm(forms.ModelForm[Ticket]):
    reply_body = forms.CharField(
        label=_("Your reply"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField reply-box"}),
    )
    reply_kind = forms.ChoiceField(
        label=_("Send as"),
        choices=[(PUBLIC, _("Reply to the customer")), (INTERNAL, _("Internal note"))],
        initial=PUBLIC,
        widget=forms.RadioSelect,
    )
    reply_files = MultipleFileField(label=_("Attach files"), required=False)
    # collision check: the newest message the page showed, and "send anyway" once warned
    seen_message = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    confirm_send = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # set per request by TicketAdmin.get_form
    viewer_user_id: int | None = None
    files_over_limit = False  # the reply box sent more files than a message may have
    refused: SubmitRefused | None = None  # a service refused this very submit
    draft: Mapping[str, Any] | None = None  # a reply refused after a redirect (admin/drafts.py)

    class Meta:
        model = Ticket
        fields = ("status", "priority")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is not None:
            newest = (
                Message.objects.filter(ticket=self.instance)
                .order_by("-pk")
                .values_list("pk", flat=True)
                .first()
            )
            self.initial["seen_message"] = newest or 0
            if self.draft:
                self.initial["reply_body"] = self.draft["reply_body"]
                self.initial["reply_kind"] = self.draft["reply_kind"]

    def clean(self) -> dict[str, Any]:
        """The refusals an agent meets on this page, as form errors so a typed reply is kept
        (the services check them again and stay the authority; what only they can tell comes
        back as `refused`)."""
        data = super().clean() or {}
        ticket = self.instance
        if self.files_over_limit:
            self.add_error("reply_files", str(too_many_files(attachment_limits()).message))
        if self.refused is not None:
            self.add_error(self.refused.field, self.refused.message)
        opens = "status" in self.changed_data and data.get("status") == TicketStatus.OPEN
        if opens and ticket.assignee_id is None:
            self.add_error(
                "status", _("A ticket without an assignee cannot be open; take it first.")
            )
        if data.get("reply_files") and not data.get("reply_body"):
            self.add_error("reply_body", _("Write a reply to go with the files."))
        public = data.get("reply_body") and data.get("reply_kind") == PUBLIC
        if public and ticket.status == TicketStatus.CLOSED:
            self.add_error(
                "reply_kind", _("This ticket is closed; only internal notes can be added.")
            )
        if data.get("reply_body") and not data.get("confirm_send"):
            self._warn_of_new_messages(data.get("seen_message"))
        return data

    def _warn_of_new_messages(self, seen: int | None) -> None:
        """Someone wrote since the page was opened: keep the reply unsent, show the new
        messages first, and let the next Submit send it (the page is re-rendered confirmed)."""
        if seen is None or self.instance.pk is None:
            return
        arrived = list(
            messages_since(ticket=self.instance, seen=seen, viewer_user_id=self.viewer_user_id or 0)
        )
        if not arrived:
            return
        self.add_error(
            "reply_body",
            _(
                "New messages arrived since you opened this ticket; they are shown at the "
                "top. Your reply was not sent: read them, then submit again to send it."
            ),
        )
        data = QueryDict(mutable=True)
        data.update(self.data)
        data["confirm_send"] = "on"
        data["seen_message"] = str(arrived[-1].pk)
        self.data = data


class WorkspaceActionForm(ActionForm):
    insist = forms.BooleanField(
        label=_("Insist (take even when I am full)"),
        required=False,
    )


def candidate_label(candidate: Candidate) -> str:
    return gettext("%(name)s — %(level)s · %(load)s/%(capacity)s tickets · %(status)s") % {
        "name": candidate.agent.display_name,
        "level": AgentLanguage.Proficiency(candidate.proficiency).label,
        "load": candidate.load,
        "capacity": candidate.capacity,
        "status": candidate.agent.get_status_display(),
    }


class ReassignForm(forms.Form):
    agent = forms.TypedChoiceField(label=_("New assignee"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args: Any, candidates: list[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            (c.agent.pk, candidate_label(c)) for c in candidates
        ]


def languages_label(tags: list[str]) -> str:
    return ", ".join(language_label(tag) for tag in tags)
