"""Admin forms of macros: the language tag and the placeholders are checked when a variant is
saved (an unknown placeholder is named in the error)."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from supportdesk.core.exceptions import InvalidInput
from supportdesk.macros.models import Macro, MacroVariant
from supportdesk.macros.services import check_body, variant_language
from supportdesk.tickets.models import Priority, Ticket, TicketStatus


def _checked(check: Any, value: str) -> Any:
    try:
        return check(value)
    except InvalidInput as exc:
        raise forms.ValidationError(str(exc.message)) from exc


class MacroForm(forms.ModelForm[Macro]):
    class Meta:
        model = Macro
        fields = (
            "name",
            "source_language",
            "active",
            "internal",
            "set_status",
            "set_priority",
            "add_tags",
        )
        help_texts = {"add_tags": _('Give a list of tags, e.g. ["shipping", "refund"].')}

    def clean_source_language(self) -> str:
        return str(_checked(variant_language, self.cleaned_data["source_language"]))

    def clean_add_tags(self) -> list[str]:
        tags = self.cleaned_data["add_tags"] or []
        if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
            raise forms.ValidationError(_('Give a list of tags, e.g. ["shipping", "refund"].'))
        return [t.strip() for t in tags]


class MacroVariantForm(forms.ModelForm[MacroVariant]):
    class Meta:
        model = MacroVariant
        fields = ("language", "name", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 4, "cols": 60})}

    def clean_language(self) -> str:
        return str(_checked(variant_language, self.cleaned_data["language"]))

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        _checked(check_body, body)
        return body


class MacroApplyForm(forms.Form):
    """What the ticket page sends to a macro's apply view: the reply box and its kind (Django's
    CharField refuses NUL bytes), and the page's status and priority fields."""

    reply_body = forms.CharField(max_length=settings.MAX_TICKET_BODY_CHARS, strip=True)
    reply_kind = forms.ChoiceField(
        choices=[("public", "public"), ("internal", "internal")], required=False
    )
    status = forms.ChoiceField(choices=TicketStatus.choices, required=False)
    priority = forms.TypedChoiceField(
        choices=Priority.choices, coerce=int, required=False, empty_value=None
    )

    def page_changes(self, ticket: Ticket) -> dict[str, Any]:
        """The status and priority the agent changed on the page (they differ from the ticket
        as it stands); the rest of the page's fields were only shown."""
        data = self.cleaned_data
        changes: dict[str, Any] = {}
        if data.get("status") and data["status"] != ticket.status:
            changes["status"] = data["status"]
        if data.get("priority") is not None and data["priority"] != ticket.priority:
            changes["priority"] = data["priority"]
        return changes
