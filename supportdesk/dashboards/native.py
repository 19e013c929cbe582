"""Native-language service, the hub's first figure: how well each ticket's first agent matched
its language (Ticket.first_match_rank, written by routing at the first assignment).

Per language and for the hub, over the last hour and the last 24 hours: of the tickets created in
the window that routing has assigned, how many first went to an agent with the exact language
(`exact`), one sharing its primary subtag (`same_base`: pt-PT for pt-BR) or a fallback speaker
(`fallback`: es for ca). "Native" is exact + same base. Tickets still waiting, and tickets a
person assigned by hand before routing did, are not counted (their first agent was not routing's
choice). One grouped query.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from django.db.models import Count, Q
from django.utils import timezone

from supportdesk.tickets.models import MatchRank, Ticket

WINDOWS: Mapping[str, timedelta] = {
    "last_hour": timedelta(hours=1),
    "last_24h": timedelta(hours=24),
}


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True, slots=True)
class MatchCounts:
    """First assignments in one window by match rank."""

    exact: int = 0
    same_base: int = 0
    fallback: int = 0

    @property
    def routed(self) -> int:
        return self.exact + self.same_base + self.fallback

    @property
    def exact_share(self) -> float | None:
        return _share(self.exact, self.routed)

    @property
    def same_base_share(self) -> float | None:
        return _share(self.same_base, self.routed)

    @property
    def fallback_share(self) -> float | None:
        return _share(self.fallback, self.routed)

    @property
    def native_share(self) -> float | None:
        """Served in the customer's language: exact or same primary subtag."""
        return _share(self.exact + self.same_base, self.routed)

    def __add__(self, other: "MatchCounts") -> "MatchCounts":
        return MatchCounts(
            exact=self.exact + other.exact,
            same_base=self.same_base + other.same_base,
            fallback=self.fallback + other.fallback,
        )


@dataclass(frozen=True, slots=True)
class FirstMatch:
    last_hour: MatchCounts = field(default_factory=MatchCounts)
    last_24h: MatchCounts = field(default_factory=MatchCounts)

    @classmethod
    def total(cls, parts: Iterable["FirstMatch"]) -> "FirstMatch":
        hour, day = MatchCounts(), MatchCounts()
        for part in parts:
            hour, day = hour + part.last_hour, day + part.last_24h
        return cls(last_hour=hour, last_24h=day)


def first_match_by_language(*, now: datetime | None = None) -> dict[str, FirstMatch]:
    """Per language tag: first-assignment match counts over the last hour and 24 hours."""
    now = now or timezone.now()
    aggregates: dict[str, Any] = {}
    for window, length in WINDOWS.items():
        for rank in MatchRank:
            aggregates[f"{window}_{rank.api_name}"] = Count(
                "id", filter=Q(created_at__gte=now - length, first_match_rank=rank.value)
            )
    longest = max(WINDOWS.values())
    rows = cast(
        "Iterable[dict[str, Any]]",
        Ticket.objects.filter(
            created_at__gte=now - longest, created_at__lte=now, first_match_rank__isnull=False
        )
        .order_by()
        .values("language")
        .annotate(**aggregates),
    )
    return {
        row["language"]: FirstMatch(
            **{
                window: MatchCounts(
                    **{rank.api_name: row[f"{window}_{rank.api_name}"] for rank in MatchRank}
                )
                for window in WINDOWS
            }
        )
        for row in rows
    }
