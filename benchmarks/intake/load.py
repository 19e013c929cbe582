"""The load generator: one `http.client` connection per process, closed loop (as fast as the
server answers) or open loop (requests scheduled at a fixed rate; latency counted from the
scheduled time, so a slow server cannot hide its queueing)."""

from __future__ import annotations

import http.client
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Job:
    port: int
    path: str
    kind: str  # "floor" | "ticket"
    duration: float
    seed: int
    api_key: str = ""
    rate: float = 0.0  # requests/s for this process; 0 = closed loop
    texts: tuple[tuple[str, str, str], ...] = ()  # (language, subject, body)
    with_locale: bool = False


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)


def post(conn: http.client.HTTPConnection, path: str, body: bytes, headers: dict[str, str]) -> int:
    """One POST on a kept-alive connection: its status, or 0 when the connection failed (the
    connection is closed then and reopens on the next request)."""
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
    except (OSError, http.client.HTTPException):
        conn.close()
        return 0
    return response.status


def _request(job: Job, rng: random.Random, number: int) -> tuple[bytes, dict[str, str]]:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if job.kind == "floor":
        body = {"subject": "Order not received", "body": "Ordered last week, nothing yet."}
        return json.dumps(body).encode(), headers
    language, subject, text = rng.choice(job.texts)
    customer = {"email": f"customer{rng.randrange(5000)}@example.com", "name": "Bench Customer"}
    if job.with_locale:
        customer["locale"] = language
    body = {"subject": subject, "body": text, "customer": customer}
    headers["Authorization"] = f"Api-Key {job.api_key}"
    headers["Idempotency-Key"] = f"bench-{job.seed}-{number}"
    return json.dumps(body).encode(), headers


def drive(job: Job) -> Result:
    rng = random.Random(job.seed)
    conn = http.client.HTTPConnection("127.0.0.1", job.port, timeout=30)
    result = Result()
    start = time.perf_counter()
    deadline = start + job.duration
    number = 0
    while True:
        now = time.perf_counter()
        scheduled = start + number / job.rate if job.rate else now
        if scheduled >= deadline or now >= deadline:
            break
        if scheduled > now:
            time.sleep(scheduled - now)
        body, headers = _request(job, rng, number)
        sent = scheduled if job.rate else time.perf_counter()
        status = post(conn, job.path, body, headers)
        result.latencies.append(time.perf_counter() - sent)
        result.statuses[status] += 1
        number += 1
    conn.close()
    return result
