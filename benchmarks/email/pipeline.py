"""One benchmark worker process: Django set up from the environment it is given, then every
message of its share of the maildir landed through `mail_receive` (parse, strip quotes,
detect the language, thread, store), timed after a warm-up."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Share:
    env: dict[str, str]
    mailbox: str  # address
    paths: tuple[str, ...]
    warmup: int


@dataclass(frozen=True)
class Timing:
    landed: int
    start: float
    end: float
    outcomes: dict[str, int]


def run(share: Share) -> Timing:
    os.environ.update(share.env)
    import django

    django.setup()
    from supportdesk.mail.models import Mailbox
    from supportdesk.mail.services import mail_receive

    box = Mailbox.objects.select_related("client_app").get(address=share.mailbox)
    raws = [open(path, "rb").read() for path in share.paths]  # noqa: SIM115
    for raw in raws[: share.warmup]:
        mail_receive(mailbox=box, raw=raw)
    outcomes: dict[str, int] = {}
    start = time.time()
    for raw in raws[share.warmup :]:
        outcome = str(mail_receive(mailbox=box, raw=raw).outcome)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return Timing(len(raws) - share.warmup, start, time.time(), outcomes)
