"""PURE: when a fallback speaker may take a ticket, and how a waiting ticket's claim grows.

Two policies, so the simulator can compare them on the same tickets (`simulate --compare`):

- `old` — today's until issue #13: a fallback speaker may take a ticket as soon as nobody
  who speaks its language (or a variant) is available, or once it has waited
  `fallback_after`; an agent with room takes the waiting tickets it may serve in queue order.
- `language_first` (the default) — match quality before queue position, fallback as a timed
  last resort, and aging so that nothing starves (docs/subsystems/routing.md states the rule):

  1. A ticket whose language somebody available speaks (exactly or by primary subtag) goes
     to a fallback speaker only when it has waited `fallback_after` **and** those speakers
     are not expected to free a slot for it within `fallback_grace`. The expectation is the
     memoryless one: with `busy` tickets held by the speakers and a handle time `h` for the
     language, a slot frees every `h / busy` on average, so the ticket with `ahead` tickets
     of its language before it expects one after `(ahead + 1) * h / busy`.
  2. A language that nobody available speaks falls back after `fallback_unstaffed_after`
     (0 by default: at once, as before — waiting would only miss the deadline).
  3. A ticket that has waited `aging_after` may go to anyone who matches it at any rank,
     and an agent with room takes such tickets first (queue order among them): its claim
     has outgrown a newer ticket's better match. Below that age, an agent takes exact
     matches, then same-primary-subtag matches, and only then fallback tickets, queue order
     (priority, deadline, FIFO) within each level. Proficiency decides which agent a ticket
     goes to (`choose_agent`), not which customer waits: ordering an agent's own languages by
     its proficiency left the French tickets of the Amsterdam night shift (French: basic)
     behind its English, Dutch and German ones until they aged (French SLA 97.6% → 92.3%).

Standard library only: no Django, no clock reads, no settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


class Mode(StrEnum):
    OLD = "old"
    LANGUAGE_FIRST = "language_first"


@dataclass(frozen=True, slots=True)
class Supply:
    """The available speakers of one primary subtag: how many, their open slots, their
    tickets."""

    speakers: int
    free: int
    busy: int

    @property
    def staffed(self) -> bool:
        """Somebody available could ever take a ticket (has room or will free a slot)."""
        return self.free > 0 or self.busy > 0


NOBODY = Supply(speakers=0, free=0, busy=0)


@dataclass(frozen=True, slots=True)
class FallbackTiming:
    after: timedelta = timedelta(seconds=300)
    grace: timedelta = timedelta(seconds=120)
    unstaffed_after: timedelta = timedelta(0)
    aging_after: timedelta = timedelta(seconds=900)
    handle: timedelta = timedelta(seconds=420)  # a language's handle time when none is known


def expected_close_wait(*, supply: Supply, ahead: int, handle: timedelta) -> timedelta | None:
    """When a close speaker is expected to have a slot for a ticket with `ahead` tickets of
    its language before it (None: nobody available speaks it)."""
    if supply.free > ahead:
        return timedelta(0)
    if supply.busy <= 0:
        return None if supply.free == 0 else timedelta(0)
    return handle * (ahead + 1 - supply.free) / supply.busy


def aged(*, waited: timedelta, timing: FallbackTiming, mode: Mode) -> bool:
    """The ticket's claim has outgrown match quality (language_first only)."""
    return mode is Mode.LANGUAGE_FIRST and waited >= timing.aging_after


def fallback_allowed(
    *,
    waited: timedelta,
    supply: Supply,
    ahead: int,
    handle: timedelta,
    timing: FallbackTiming,
    mode: Mode,
) -> bool:
    """May a fallback-language speaker take a ticket that has waited `waited` now?"""
    if mode is Mode.OLD:
        return supply.speakers == 0 or waited >= timing.after
    if waited >= timing.aging_after:
        return True
    if not supply.staffed:
        return waited >= timing.unstaffed_after
    if waited < timing.after:
        return False
    expected = expected_close_wait(supply=supply, ahead=ahead, handle=handle)
    return expected is None or expected > timing.grace
