"""Client applications and their API keys: managers only. A key is made by
`api_key_create` and shown once in a message; only its prefix and digest are kept."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from supportdesk.agents.selectors import is_manager
from supportdesk.clients.models import ApiKey, ClientApplication
from supportdesk.clients.services import api_key_create, api_key_revoke

KEY_FIELDS = ("prefix", "client_app", "created_at", "last_used_at", "revoked_at")


class ManagersOnlyMixin:
    """Keys grant API access to every ticket of an application: only managers see them, even
    if someone grants an agent the model permissions by hand."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_manager(request.user) and super().has_module_permission(request)  # type: ignore[misc]  # a mixin: ModelAdmin follows

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_manager(request.user) and super().has_view_permission(request, obj)  # type: ignore[misc]  # a mixin: ModelAdmin follows


def _show_key_once(request: HttpRequest, app: ClientApplication, key: str) -> None:
    messages.warning(
        request,
        _("New API key for %(app)s: %(key)s — copy it now, it will not be shown again.")
        % {"app": app.name, "key": key},
    )


class ApiKeyInline(admin.TabularInline[ApiKey, ClientApplication]):
    model = ApiKey
    fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ClientApplication)
class ClientApplicationAdmin(ManagersOnlyMixin, admin.ModelAdmin[ClientApplication]):
    list_display = ("name", "is_active", "active_keys", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name",)
    fields = ("name", "is_active")
    inlines = (ApiKeyInline,)
    actions = ("create_key",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClientApplication]:
        return (
            super()
            .get_queryset(request)
            .annotate(keys_active=Count("api_keys", filter=Q(api_keys__revoked_at__isnull=True)))
        )

    @admin.display(description=gettext_lazy("active keys"), ordering="keys_active")
    def active_keys(self, app: ClientApplication) -> int:
        return int(getattr(app, "keys_active", 0))

    def save_model(
        self, request: HttpRequest, obj: ClientApplication, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            app, key = api_key_create(name=obj.name)
            _show_key_once(request, app, key)

    @admin.action(description=gettext_lazy("Create a new API key"), permissions=["change"])
    def create_key(self, request: HttpRequest, queryset: QuerySet[ClientApplication]) -> None:
        for app in queryset:
            _app, key = api_key_create(name=app.name)
            _show_key_once(request, app, key)


@admin.register(ApiKey)
class ApiKeyAdmin(ManagersOnlyMixin, admin.ModelAdmin[ApiKey]):
    list_display = KEY_FIELDS
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "client_app")
    search_fields = ("prefix", "client_app__name")
    readonly_fields = KEY_FIELDS
    list_select_related = ("client_app",)
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # keys are made from their client application, shown once

    @admin.action(description=gettext_lazy("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        count = api_key_revoke(key_ids=queryset.values_list("id", flat=True))
        messages.success(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", count) % {"count": count},
        )
