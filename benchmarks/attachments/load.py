"""The load generator for the attachment benchmark: one `http.client` connection per process,
closed loop; the same ticket as JSON, or as multipart/form-data with one file."""

from __future__ import annotations

import http.client
import json
import time
import uuid
from dataclasses import dataclass

from benchmarks.intake.load import Result, post

BOUNDARY = "sd-bench-boundary-5c1e"
RING = 32  # request bodies made in advance, used in turn
RING_BYTES = 64 * 1024 * 1024  # at most this much of them (fewer bodies of 10 or 20 MB)


@dataclass(frozen=True)
class Job:
    port: int
    api_key: str
    kind: str  # "json" | "multipart"
    duration: float  # seconds; with `count`, whichever ends first
    seed: int
    file_bytes: int = 1024 * 1024
    count: int = 0  # requests to send (0 = until `duration`)


def pdf_of(size: int, seed: int) -> bytes:
    """A PDF header and trailer around `size` bytes of filler (a real type for the checks)."""
    head, tail = b"%PDF-1.4\n% supportdesk benchmark\n", b"\n%%EOF\n"
    filler = (f"{seed:08d}".encode() * (size // 8 + 1))[: max(0, size - len(head) - len(tail))]
    return head + filler + tail


def _fields(job: Job, number: int) -> dict[str, str]:
    return {
        "subject": "Pakket beschadigd aangekomen",
        "body": "De doos was ingedeukt en de inhoud is gebroken. Zie de bijlage.",
        "customer.email": f"customer{(job.seed * 7919 + number) % 5000}@example.com",
        "customer.name": "Bench Customer",
        "customer.locale": "nl-NL",
    }


def json_body(job: Job, number: int) -> bytes:
    fields = _fields(job, number)
    customer = {
        key.removeprefix("customer."): value
        for key, value in fields.items()
        if key.startswith("customer.")
    }
    body = {"subject": fields["subject"], "body": fields["body"], "customer": customer}
    return json.dumps(body).encode()


def multipart_body(job: Job, number: int, file: bytes) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in _fields(job, number).items()
    ]
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="foto-{number}.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    return b"".join([*parts, head, file, f"\r\n--{BOUNDARY}--\r\n".encode()])


def _bodies(job: Job) -> list[bytes]:
    """A ring of request bodies made before the clock starts (different customers): the
    client's CPU — it shares the machine with the server — goes to sending, not to building
    a megabyte per request."""
    if job.kind != "multipart":
        return [json_body(job, number) for number in range(RING)]
    file = pdf_of(job.file_bytes, job.seed)
    count = max(1, min(RING, RING_BYTES // max(1, job.file_bytes)))
    return [multipart_body(job, number, file) for number in range(count)]


def drive(job: Job) -> Result:
    conn = http.client.HTTPConnection("127.0.0.1", job.port, timeout=60)
    result = Result()
    bodies = _bodies(job)
    multipart = f"multipart/form-data; boundary={BOUNDARY}"
    content_type = multipart if job.kind == "multipart" else "application/json"
    deadline = time.perf_counter() + job.duration
    number = 0
    while time.perf_counter() < deadline and (not job.count or number < job.count):
        headers = {
            "Content-Type": content_type,
            "Accept": "application/json",
            "Authorization": f"Api-Key {job.api_key}",
            "Idempotency-Key": f"bench-{job.seed}-{number}-{uuid.uuid4().hex[:8]}",
        }
        sent = time.perf_counter()
        status = post(conn, "/api/v1/tickets/", bodies[number % len(bodies)], headers)
        result.latencies.append(time.perf_counter() - sent)
        result.statuses[status] += 1
        number += 1
    conn.close()
    return result
