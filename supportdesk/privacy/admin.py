"""Managers' privacy desk in the admin: customers' export and erasure requests (erasure with a
dry run first), legal holds, retention periods, and the record of past erasures."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supportdesk.agents.selectors import is_manager
from supportdesk.audit.services import actor_of, customer_read
from supportdesk.core.exceptions import DomainError
from supportdesk.core.pseudonyms import customer_pseudonym
from supportdesk.privacy.models import (
    Erasure,
    ExportJob,
    LegalHold,
    PrivacyCustomer,
    RetentionPolicy,
)
from supportdesk.privacy.services.erasure import customer_erase
from supportdesk.privacy.services.export import export_start


class ManagersOnly(admin.ModelAdmin[Any]):
    def has_module_permission(self, request: HttpRequest) -> bool:
        # the model permission first: it is cached, the role is a query
        return super().has_module_permission(request) and is_manager(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and is_manager(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return super().has_add_permission(request, *args) and is_manager(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and is_manager(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and is_manager(request.user)


class ReadOnlyForManagers(ManagersOnly):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PrivacyCustomer)
class PrivacyCustomerAdmin(ReadOnlyForManagers):
    """Customers as a privacy request sees them; every action is audited."""

    list_display = ("email", "name", "client_app", "created_at")
    list_filter = ("client_app",)
    search_fields = ("email",)
    list_select_related = ("client_app",)
    actions = ("export", "export_with_notes", "erase_dry_run", "erase", "erase_forced")

    def change_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> Any:
        if request.method == "GET" and object_id.isdigit() and is_manager(request.user):
            customer_read(actor=actor_of(request), customer_id=int(object_id), via="admin")
        return super().change_view(request, object_id, *args, **kwargs)

    def _export(self, request: HttpRequest, queryset: QuerySet[Any], *, notes: bool) -> None:
        actor = actor_of(request)
        for customer in queryset:
            export_start(customer_id=customer.pk, client_app_id=customer.client_app_id,
                         actor=actor, include_internal=notes, via="admin")  # fmt: skip
        messages.success(
            request,
            _("%(count)d export(s) started; find them under Privacy, Exports.")
            % {"count": queryset.count()},
        )

    @admin.action(description=gettext_lazy("Export the selected customers' data"))
    def export(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._export(request, queryset, notes=False)

    @admin.action(description=gettext_lazy("Export with agents' internal notes"))
    def export_with_notes(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._export(request, queryset, notes=True)

    def _erase(
        self, request: HttpRequest, queryset: QuerySet[Any], *, dry_run: bool, force: bool
    ) -> None:
        actor = actor_of(request)
        for customer in queryset:
            try:
                result = customer_erase(
                    client_app_id=customer.client_app_id, email=customer.email, actor=actor,
                    dry_run=dry_run, force=force, via="admin",
                )  # fmt: skip
            except DomainError as refused:
                messages.error(request, f"{customer_pseudonym(customer.pk)}: {refused.message}")
                continue
            changes = ", ".join(f"{name} {count}" for name, count in result.changes.items())
            template = (
                _("%(pseudonym)s: would change %(changes)s")
                if dry_run
                else _("%(pseudonym)s: erased (%(changes)s)")
            )
            messages.info(request, template % {"pseudonym": result.pseudonym, "changes": changes})

    @admin.action(description=gettext_lazy("Erase: dry run (change nothing)"))
    def erase_dry_run(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # a manager may force: the preview shows what even a forced erasure would change
        self._erase(request, queryset, dry_run=True, force=True)

    @admin.action(description=gettext_lazy("Erase the selected customers"))
    def erase(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._erase(request, queryset, dry_run=False, force=False)

    @admin.action(description=gettext_lazy("Erase, even with open tickets"))
    def erase_forced(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._erase(request, queryset, dry_run=False, force=True)


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyForManagers):
    list_display = ("id", "client_app", "status", "include_internal", "requested_by",
                    "created_at", "expires_at", "size", "link")  # fmt: skip
    list_filter = ("status", "include_internal")

    @admin.display(description=gettext_lazy("download"))
    def link(self, job: ExportJob) -> str:
        from supportdesk.privacy.links import export_link

        return export_link(job=job) or "—"


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyForManagers):
    list_display = ("pseudonym", "client_app", "reason", "forced", "requested_by", "erased_at")
    list_filter = ("reason", "forced")
    search_fields = ("pseudonym",)


@admin.register(LegalHold)
class LegalHoldAdmin(ManagersOnly):
    list_display = ("reason", "ticket", "customer", "created_by", "created_at")
    raw_id_fields = ("ticket", "customer")
    fields = ("reason", "ticket", "customer")

    def save_model(self, request: HttpRequest, obj: LegalHold, form: Any, change: bool) -> None:
        if not change:
            obj.created_by_id = request.user.pk
        super().save_model(request, obj, form, change)


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(ManagersOnly):
    list_display = ("client_app", "days")
