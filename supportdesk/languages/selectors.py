from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db.models import QuerySet

from supportdesk.core.snapshots import Snapshot
from supportdesk.languages import negotiation
from supportdesk.languages.models import Language


def enabled_languages() -> QuerySet[Language]:
    return Language.objects.filter(enabled=True).order_by("position", "tag")


def _load_enabled_tags(_key: None) -> list[str]:
    return list(enabled_languages().values_list("tag", flat=True))


_enabled_tags: Snapshot[None, list[str]] = Snapshot(
    _load_enabled_tags, depends_on=("languages.Language",)
)


def enabled_tags() -> list[str]:
    """The enabled tags in display order (a per-process snapshot, ADR 0008): a new list that
    the caller may change."""
    return list(_enabled_tags.get(None) or [])


def fallback_chain(*, tag: str) -> tuple[str, ...]:
    """The tags tried after `tag`, ending in DEFAULT_LANGUAGE (never containing `tag` itself).

    An unknown tag falls back through the nearest known tag of its language, the CLDR way
    (`pt-AO` → `pt-PT` and its chain, `nl-BE` → `nl`), then to the default language.
    """
    return fallback_chains(tags=[tag])[tag]


def fallback_chains(*, tags: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """`fallback_chain` of each of `tags`, from one read of the languages."""
    default: str = settings.DEFAULT_LANGUAGE
    chains = dict(Language.objects.values_list("tag", "fallbacks"))
    found: dict[str, tuple[str, ...]] = {}
    for tag in tags:
        chain: Sequence[str] = chains.get(tag, ())
        if tag not in chains:
            nearest = negotiation.negotiate([tag], [known for known in chains if known != tag])
            if nearest is not None:  # `pt-AO` → `pt-PT` (CLDR parent), `nl-BE` → `nl`
                chain = [nearest, *chains[nearest]]
        found[tag] = tuple(t for t in dict.fromkeys([*chain, default]) if t != tag)
    return found
