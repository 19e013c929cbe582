"""Mailboxes and the inbound e-mail log in the admin. A mailbox's password or OAuth2 token is
never stored or shown: the admin holds the name of the environment variable only."""

from functools import partial
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from supportdesk.core.publishing import publish
from supportdesk.languages import tags
from supportdesk.mail import original
from supportdesk.mail.models import InboundMessage, Mailbox, Transport
from supportdesk.mail.services import imap_connection_problem
from supportdesk.mail.tasks import fetch_mailbox_task
from supportdesk.tickets.admin.selectors import is_manager_request


class MailboxForm(forms.ModelForm[Mailbox]):
    class Meta:
        model = Mailbox
        fields = (
            "address", "display_name", "client_app", "default_language", "language_explicit",
            "enabled", "transport", "imap_host", "imap_port", "imap_security", "imap_user",
            "imap_auth", "imap_folder", "secret_env",
        )  # fmt: skip

    def clean_default_language(self) -> str:
        tag: str = self.cleaned_data["default_language"]
        try:
            return tags.normalise(tag)
        except tags.InvalidTag as exc:
            raise forms.ValidationError(
                _("“%(tag)s” is not a valid BCP 47 language tag."), params={"tag": exc.tag}
            ) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("transport") == Transport.IMAP:
            problem = imap_connection_problem(
                host=data.get("imap_host") or "",
                port=data.get("imap_port") or 0,
                security=data.get("imap_security") or "",
            )
            if problem:
                raise forms.ValidationError(problem)
        return data


class ManagersOnly:
    """Mailboxes and the log of every e-mail received (customers' mail of all tickets) are for
    managers (docs/admin.md): the `managers` group holds the permissions (mail/0002), and a
    permission granted by hand to an agent does not open them either."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_manager_request(request) and super().has_module_permission(request)  # type: ignore[misc]  # a mixin: ModelAdmin follows

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_manager_request(request) and super().has_view_permission(request, obj)  # type: ignore[misc]  # a mixin: ModelAdmin follows

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_manager_request(request) and super().has_add_permission(request)  # type: ignore[misc]  # a mixin: ModelAdmin follows

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_manager_request(request) and super().has_change_permission(request, obj)  # type: ignore[misc]  # a mixin: ModelAdmin follows

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_manager_request(request) and super().has_delete_permission(request, obj)  # type: ignore[misc]  # a mixin: ModelAdmin follows


@admin.register(Mailbox)
class MailboxAdmin(ManagersOnly, admin.ModelAdmin[Mailbox]):
    form = MailboxForm
    list_display = (
        "address",
        "client_app",
        "transport",
        "default_language",
        "enabled",
        "last_fetch_at",
        "messages_today",
        "last_error",
    )
    list_filter = ("enabled", "transport", "client_app")
    search_fields = ("address", "display_name")
    readonly_fields = ("last_fetch_at", "last_error", "created_at", "updated_at")
    actions = ("fetch_now",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Mailbox]:
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return (
            super()
            .get_queryset(request)
            .select_related("client_app")
            .annotate(today=Count("messages", filter=Q(messages__received_at__gte=today)))
        )

    @admin.display(description=_("messages today"), ordering="today")
    def messages_today(self, mailbox: Mailbox) -> int:
        return int(getattr(mailbox, "today", 0))

    @admin.action(description=_("Fetch new mail now"))
    def fetch_now(self, request: HttpRequest, queryset: QuerySet[Mailbox]) -> None:
        """Queued for the workers, which hold the mailboxes' secrets (the web process does not,
        README): fetching here failed and overwrote the mailbox's last error. In the embedded
        runtime (eager tasks) the fetch runs at once, in this process."""
        for mailbox in queryset.filter(transport=Transport.IMAP):
            if publish(fetch_mailbox_task, (mailbox.pk,)):
                self.message_user(
                    request,
                    _(
                        "{mailbox}: fetch requested; its status (last fetch, last error) "
                        "updates when a worker has fetched."
                    ).format(mailbox=mailbox),
                )
            else:
                self.message_user(
                    request,
                    _(
                        "{mailbox}: the fetch could not be requested (the task broker is "
                        "unavailable); the next scheduled fetch reads the mailbox."
                    ).format(mailbox=mailbox),
                    messages.ERROR,
                )


@admin.register(InboundMessage)
class InboundMessageAdmin(ManagersOnly, admin.ModelAdmin[InboundMessage]):
    """The log of every message read: read-only (the raw message stays for audit)."""

    list_display = (
        "received_at", "mailbox", "sender", "subject", "outcome", "reason", "ticket",
        "original_link",
    )  # fmt: skip
    list_filter = ("outcome", "mailbox")
    search_fields = ("message_id", "sender", "subject")
    list_select_related = ("mailbox", "ticket")
    exclude = ("raw",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: InboundMessage | None = None
    ) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        """A message's original e-mail: for every staff user who may see its ticket (agents
        too, who have no access to this log), checked by `original`'s own rule."""
        wrap = self.admin_site.admin_view
        return [
            path(
                "<str:pk>/original/",
                wrap(partial(original.original_page, self.admin_site)),
                name="mail_inboundmessage_original",
            ),
            path(
                "<str:pk>/original/html/",
                wrap(original.original_html),
                name="mail_inboundmessage_original_html",
            ),
            path(
                "<str:pk>/original/eml/",
                wrap(original.original_download),
                name="mail_inboundmessage_original_eml",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("original"))
    def original_link(self, row: InboundMessage) -> SafeString:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:mail_inboundmessage_original", args=[row.pk]),
            _("Original e-mail"),
        )
