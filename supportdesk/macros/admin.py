"""Macros in the admin: managers write them (one text per language, the placeholders checked),
see the coverage matrix; agents use them from the ticket page's reply box (the picker)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from supportdesk.macros import admin_views
from supportdesk.macros.forms import MacroForm, MacroVariantForm
from supportdesk.macros.models import Macro, MacroVariant
from supportdesk.macros.selectors import STALE, source_variant, variant_state
from supportdesk.macros.services import macro_actions


class MacroVariantInline(admin.TabularInline[MacroVariant, Macro]):
    model = MacroVariant
    form = MacroVariantForm
    extra = 1
    fields = ("language", "name", "body", "freshness")
    readonly_fields = ("freshness",)

    @admin.display(description=_("up to date"))
    def freshness(self, variant: MacroVariant) -> str:
        if variant._state.adding:
            return ""
        stale = variant_state(variant, source=source_variant(variant.macro)) == STALE
        return str(_("may be out of date")) if stale else "✓"


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin[Macro]):
    form = MacroForm
    inlines = (MacroVariantInline,)
    list_display = ("name", "languages", "actions_label", "internal", "active")
    list_filter = ("active", "internal")
    search_fields = ("name", "variants__name")
    change_list_template = "admin/macros/macro/change_list.html"

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """The variants' texts side by side need the page's width: no sidebar here."""
        context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, context)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("variants")

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("coverage/", wrap(admin_views.coverage_view), name="macros_macro_coverage"),
            path(
                "picker/<int:ticket_pk>/",
                wrap(admin_views.picker_view),
                name="macros_macro_picker",
            ),
            path(
                "<int:macro_pk>/apply/<int:ticket_pk>/",
                wrap(admin_views.apply_view),
                name="macros_macro_apply",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("languages"))
    def languages(self, macro: Macro) -> SafeString:
        source = source_variant(macro)
        return format_html_join(
            " ",
            '<span class="sd-badge sd-macro-lang{}" title="{}">{}</span>',
            (
                (" sd-macro-lang--stale", _("may be out of date"), v.language)
                if variant_state(v, source=source) == STALE
                else ("", "", v.language)
                for v in macro.variants.all()
            ),
        )

    @admin.display(description=_("actions"))
    def actions_label(self, macro: Macro) -> str:
        return ", ".join(f"{key}: {value}" for key, value in macro_actions(macro).items()) or "—"
