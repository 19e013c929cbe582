"""The benchmark's e-mail worker processes: Django set up once per process from the
environment it is given, then each slice of its mailbox's messages landed through
`mail_receive` (parse, strip quotes, detect the language, thread, store) and timed."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any

_state: dict[str, Any] = {}


@dataclass(frozen=True)
class Slice:
    mailbox: str  # address
    paths: tuple[str, ...]


@dataclass(frozen=True)
class Timing:
    landed: int
    start: float
    end: float
    outcomes: dict[str, int]


def setup(env: dict[str, str]) -> None:
    """Pool initializer: Django and the detectors loaded before any slice is timed."""
    os.environ.update(env)
    import django

    django.setup()
    from supportdesk.languages.detection import detect_language

    detect_language("Warm the detector models up before timing.", country=None, candidates=["en"])


def run(part: Slice) -> Timing:
    from supportdesk.mail.models import Mailbox
    from supportdesk.mail.services import mail_receive

    box = _state.get(part.mailbox)
    if box is None:
        box = _state[part.mailbox] = Mailbox.objects.select_related("client_app").get(
            address=part.mailbox
        )
    raws = []
    for path in part.paths:
        with open(path, "rb") as handle:
            raws.append(handle.read())
    outcomes: dict[str, int] = {}
    start = time.time()
    for raw in raws:
        outcome = str(mail_receive(mailbox=box, raw=raw).outcome)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return Timing(len(raws), start, time.time(), outcomes)
