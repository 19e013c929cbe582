"""The audit trail for managers: browse, filter, export as CSV. Nobody adds, changes or
deletes a record here (the database refuses it too)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from supportdesk.agents.selectors import is_manager
from supportdesk.audit.models import AuditRecord

CSV_FIELDS = (
    "at", "actor_label", "actor_user_id", "client_app_id", "ip", "action", "object_type",
    "object_id", "object_label", "customer_pseudonym", "via", "detail",
)  # fmt: skip


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def csv_rows(queryset: QuerySet[AuditRecord]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_FIELDS)
    for record in queryset.order_by("at", "id").iterator(chunk_size=2000):
        yield writer.writerow([_cell(getattr(record, name)) for name in CSV_FIELDS])


def _cell(value: Any) -> str:
    text = (
        "" if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value))
    )
    # a spreadsheet would run a cell starting with = + - @ as a formula (CSV injection)
    return f"'{text}" if text[:1] in {"=", "+", "-", "@"} else text


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin[AuditRecord]):
    list_display = (
        "at", "actor_label", "action", "object_label", "customer_pseudonym", "via", "ip",
    )  # fmt: skip
    list_filter = ("action", "via", ("at", admin.DateFieldListFilter), "object_type")
    search_fields = ("actor_label", "object_label", "customer_pseudonym", "object_id", "ip")
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AuditRecord._meta.fields]
    actions = ("export_csv",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        # the model permission first: it is cached, the role is a query
        return super().has_module_permission(request) and is_manager(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and is_manager(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Export the selected records as CSV"), permissions=["view"])
    def export_csv(
        self, request: HttpRequest, queryset: QuerySet[AuditRecord]
    ) -> StreamingHttpResponse:
        response = StreamingHttpResponse(csv_rows(queryset), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
        return response
