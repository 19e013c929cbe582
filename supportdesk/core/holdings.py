"""What personal data each app holds for a customer, and how to export and scrub it.

Every app that stores something about a person registers one `Holding` here (from its
AppConfig.ready or from the privacy app): the export writes what each holding yields, erasure
and retention call each holding's `scrub` in registration order. A new app that stores
personal data and does not register a holding leaves that data behind: docs/privacy.md lists
the holdings and tests/privacy checks a full flow leaves no trace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

# The content of one file of an export: bytes, or a callable that yields the bytes in chunks
# (called while the zip is written, so a large file is never whole in memory).
Content = bytes | Callable[[], Iterable[bytes]]


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose data: the customers to pseudonymise and the tickets whose content goes.

    Erasure: one customer and all of their tickets. Retention: a batch of expired tickets and
    the customers left with nothing else. Export: one customer and all of their tickets."""

    client_app_id: int
    customer_ids: tuple[int, ...] = ()
    ticket_ids: tuple[int, ...] = ()
    # the customers' addresses as they were before any scrub (to find what names them only by
    # address, such as an inbound e-mail that made no ticket)
    emails: tuple[str, ...] = ()
    include_internal: bool = False  # export only: agents' internal notes (managers ask)
    language: str = "en"  # export only: the customer's language for READMEs


@dataclass(frozen=True, slots=True)
class ExportEntry:
    """One file of the export zip, its name relative to the archive's root."""

    name: str
    content: Content


class Holding(Protocol):
    name: str

    def export(self, scope: Scope) -> Iterator[ExportEntry]: ...

    def scrub(self, scope: Scope, *, dry_run: bool) -> int:
        """Remove the personal data in scope; the number of rows or files it changes (would
        change, with `dry_run`). Runs inside the caller's transaction; files go on commit."""
        ...


@dataclass
class _Registry:
    holdings: dict[str, Holding] = field(default_factory=dict)


_registry = _Registry()


def register(holding: Holding) -> Holding:
    """Add (or replace, by name) a holding; the order of first registration is kept."""
    _registry.holdings[holding.name] = holding
    return holding


def unregister(name: str) -> None:
    _registry.holdings.pop(name, None)


def all_holdings() -> list[Holding]:
    return list(_registry.holdings.values())
