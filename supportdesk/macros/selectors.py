"""Reads of macros: which variant a ticket gets, which variants may be out of date, coverage."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from supportdesk.languages.selectors import enabled_tags, fallback_chain
from supportdesk.languages.tags import primary
from supportdesk.macros.models import Macro, MacroVariant

OK, MISSING, STALE = "ok", "missing", "stale"


def language_chain(tag: str) -> list[str]:
    """The languages tried for a ticket in `tag`, best first: the tag itself, its primary
    language (`pt` for `pt-BR`), then its fallback chain (ending in DEFAULT_LANGUAGE)."""
    return list(dict.fromkeys([tag, primary(tag), *fallback_chain(tag=tag)]))


def active_macros(*, search: str = "") -> QuerySet[Macro]:
    """Active macros with their variants loaded, by name; `search` matches the macro's name or
    any variant's name."""
    macros = Macro.objects.filter(active=True).prefetch_related(
        Prefetch("variants", queryset=MacroVariant.objects.order_by("language"))
    )
    if search:
        named = MacroVariant.objects.filter(name__icontains=search).values("macro_id")
        macros = macros.filter(Q(name__icontains=search) | Q(pk__in=named))
    return macros.order_by("name")


def choose_variant(macro: Macro, *, chain: list[str]) -> MacroVariant | None:
    """The first variant along `chain`, else the source-language variant, else None."""
    by_language = {variant.language: variant for variant in macro.variants.all()}
    for tag in [*chain, macro.source_language]:
        if tag in by_language:
            return by_language[tag]
    return None


def variant_state(variant: MacroVariant, *, source: MacroVariant | None) -> str:
    """`stale` when the source-language text changed after this variant's text did."""
    if source is None or variant.pk == source.pk:
        return OK
    return STALE if source.body_changed_at > variant.body_changed_at else OK


def source_variant(macro: Macro) -> MacroVariant | None:
    return next((v for v in macro.variants.all() if v.language == macro.source_language), None)


def is_stale(variant: MacroVariant) -> bool:
    return variant_state(variant, source=source_variant(variant.macro)) == STALE


@dataclass(frozen=True, slots=True)
class CoverageRow:
    macro: Macro
    cells: list[tuple[str, str]]  # (language, OK | MISSING | STALE), in `languages` order

    @property
    def missing(self) -> int:
        return sum(1 for _tag, state in self.cells if state == MISSING)

    @property
    def stale(self) -> int:
        return sum(1 for _tag, state in self.cells if state == STALE)


@dataclass(frozen=True, slots=True)
class Coverage:
    languages: list[str]
    rows: list[CoverageRow]


def coverage() -> Coverage:
    """Every macro (active first) by every enabled language: ok, missing or stale. A variant in
    a language that is not enabled is not shown (nobody's ticket is in it)."""
    languages = enabled_tags()
    macros = Macro.objects.prefetch_related("variants").order_by("-active", "name")
    rows = []
    for macro in macros:
        source = source_variant(macro)
        by_language = {variant.language: variant for variant in macro.variants.all()}
        cells = []
        for tag in languages:
            variant = by_language.get(tag)
            state = MISSING if variant is None else variant_state(variant, source=source)
            cells.append((tag, state))
        rows.append(CoverageRow(macro, cells))
    return Coverage(languages, rows)
