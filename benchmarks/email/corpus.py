"""A maildir of messages written for the benchmark: the seed ticket texts in many languages as
customers send them (plain, HTML alternative, signatures, phone footers), a quarter of them
replies quoting an earlier message and naming it in In-Reply-To/References."""

from __future__ import annotations

import json
import mailbox
import random
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIGNATURES = ("\n\n--\n{name}\n+31 20 555 0101", "\n\nSent from my phone", "\n\n{name}")


def texts() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "seeds" / "tickets").glob("*.json")):
        found += [(t["subject"], t["body"]) for t in json.loads(path.read_text())]
    return found


def _message(
    rng: random.Random, n: int, mailbox_address: str, earlier: list[tuple[str, str, str]]
) -> tuple[EmailMessage, tuple[str, str, str]]:
    subject, body = rng.choice(TEXTS)
    customer = rng.randrange(2000)
    name = f"Customer {customer}"
    message = EmailMessage()
    message["From"] = formataddr((name, f"customer{customer}@example.com"))
    message["To"] = mailbox_address
    message["Date"] = format_datetime(datetime(2026, 12, 1, tzinfo=UTC))
    message_id = f"<bench-{n}@example.com>"
    message["Message-ID"] = message_id
    if earlier and rng.random() < 0.25:
        parent_id, parent_subject, parent_body = rng.choice(earlier)
        message["Subject"] = f"Re: {parent_subject}"
        message["In-Reply-To"] = parent_id
        message["References"] = parent_id
        quoted = "\n".join(f"> {line}" for line in parent_body.splitlines())
        text = f"{body}\n\nOn Mon, 1 Dec 2026 at 10:00, {name} wrote:\n{quoted}\n"
    else:
        message["Subject"] = subject
        text = body + rng.choice(SIGNATURES).format(name=name)
    message.set_content(text)
    if rng.random() < 0.3:
        paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines() if line)
        message.add_alternative(f"<html><body>{paragraphs}</body></html>", subtype="html")
    return message, (message_id, subject, body)


TEXTS = texts()


def write_maildir(
    folder: Path, count: int, mailboxes: list[str], seed: int = 2026
) -> list[tuple[str, Path]]:
    """`count` messages in a maildir under `folder`; message n goes to mailboxes[n % len].
    Returns (mailbox address, file) in the order written."""
    rng = random.Random(seed)
    box = mailbox.Maildir(folder / "maildir", create=True)
    earlier: dict[str, list[tuple[str, str, str]]] = {address: [] for address in mailboxes}
    written = []
    for n in range(count):
        address = mailboxes[n % len(mailboxes)]
        message, sent = _message(rng, n, address, earlier[address][-200:])
        earlier[address].append(sent)
        key = box.add(message.as_bytes())
        written.append((address, folder / "maildir" / "new" / key))
    return written
