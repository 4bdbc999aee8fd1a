"""Simulated coders: threads that create, retry, update and delete annotations over HTTP and
keep a ledger of every write the server acknowledged, to check the database against later.

A request whose answer is lost (connection reset, timeout, 5xx) is repeated exactly, as a real
client would: the same UUID for a create, the same version for an update or delete. A write the
server never acknowledged before the phase ended is recorded as pending: the database may hold
either its before or its after state.
"""

import http.client
import json
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

GIVE_UP_AFTER = 15.0  # seconds of retrying one write past the end of a phase


@dataclass
class Coder:
    token: str
    sources: list[tuple[int, int]]  # (source id, text length)
    codes: list[int]


@dataclass
class Ledger:
    """Acknowledged state per annotation id: a dict of fields, or None once deleted."""

    state: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    pending: dict[str, list[dict[str, Any] | None]] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)


@dataclass
class Timings:
    samples: dict[str, list[float]] = field(default_factory=dict)
    retries: int = 0

    def add(self, op: str, seconds: float) -> None:
        self.samples.setdefault(op, []).append(seconds)


class Lost(Exception):
    """No answer (connection refused or reset, timeout) or a 5xx: the outcome is unknown."""


def call(
    base: tuple[str, int], method: str, path: str, token: str | None, body: Any = None
) -> tuple[int, Any, float]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    payload = None if body is None else json.dumps(body)
    started = time.perf_counter()
    conn = http.client.HTTPConnection(*base, timeout=10)
    try:
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        data = response.read()
    except (OSError, http.client.HTTPException) as exc:
        raise Lost(str(exc)) from None
    finally:
        conn.close()
    elapsed = time.perf_counter() - started
    if response.status >= 500:
        raise Lost(f"HTTP {response.status}")
    return response.status, json.loads(data) if data else None, elapsed


class SimulatedCoder(threading.Thread):
    def __init__(
        self, base: tuple[str, int], coder: Coder, mix: str, deadline: float, seed: int
    ) -> None:
        super().__init__(daemon=True)
        self.base, self.coder, self.mix, self.deadline = base, coder, mix, deadline
        self.random = random.Random(seed)
        self.ledger = Ledger()
        self.timings = Timings()
        self.live: dict[str, dict[str, Any]] = {}

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            roll = self.random.random()
            if self.mix == "health":
                self.timed("health", "GET", "/health/", None)
            elif self.mix == "bare":
                self.timed("bare", "POST", "/bench/bare-insert/", self.passage())
            elif self.mix == "create" or not self.live or roll < 0.5:
                self.create(retry_anyway=self.random.random() < 0.1)
            elif roll < 0.8:
                self.update()
            else:
                self.delete()

    def timed(self, op: str, method: str, path: str, body: Any) -> tuple[int, Any]:
        token = None if op in {"health", "bare"} else self.coder.token
        status, data, elapsed = call(self.base, method, path, token, body)
        self.timings.add(op, elapsed)
        return status, data

    def until_answered(self, op: str, method: str, path: str, body: Any) -> tuple[int, Any] | None:
        give_up = self.deadline + GIVE_UP_AFTER
        while time.monotonic() < give_up:
            try:
                return self.timed(op, method, path, body)
            except Lost:
                self.timings.retries += 1
                time.sleep(0.05)
        return None

    def passage(self) -> dict[str, Any]:
        source, length = self.random.choice(self.coder.sources)
        start = self.random.randrange(0, length - 1)
        return {
            "source": source,
            "code": self.random.choice(self.coder.codes),
            "start": start,
            "end": min(length, start + self.random.randint(1, 60)),
            "memo": f"memo {self.random.randrange(10**6)}",
        }

    def create(self, *, retry_anyway: bool) -> None:
        body = {"id": str(uuid.uuid4()), **self.passage()}
        intended = {key: body[key] for key in ("source", "code", "start", "end", "memo")}
        answer = self.until_answered("create", "POST", "/api/annotations/", body)
        if retry_anyway and answer is not None:
            # The client did not see the first answer: it sends the same create again.
            answer = self.until_answered("create", "POST", "/api/annotations/", body)
        self.settle(body["id"], answer, {200, 201}, None, {**intended, "version": 1})

    def update(self) -> None:
        key = self.random.choice(list(self.live))
        before = self.live[key]
        memo = f"edited {self.random.randrange(10**6)}"
        body = {"version": before["version"], "memo": memo}
        after = {**before, "memo": memo, "version": before["version"] + 1}
        answer = self.until_answered("update", "PATCH", f"/api/annotations/{key}/", body)
        self.settle(key, answer, {200}, before, after)

    def delete(self) -> None:
        key = self.random.choice(list(self.live))
        before = self.live[key]
        path = f"/api/annotations/{key}/?version={before['version']}"
        answer = self.until_answered("delete", "DELETE", path, None)
        self.settle(key, answer, {204}, before, None)

    def settle(
        self,
        key: str,
        answer: tuple[int, Any] | None,
        ok: set[int],
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        """Record the outcome of a write whose retries may have been applied already."""
        if answer is None:
            self.ledger.pending[key] = [before, after]
            self.live.pop(key, None)
            return
        status, data = answer
        applied_earlier = (
            status == 409 and after is not None and _same(data.get("current"), after)
        ) or (status == 404 and after is None)
        if status in ok or applied_earlier:
            self.ledger.state[key] = after
            if after is None:
                self.live.pop(key, None)
            else:
                self.live[key] = after
        else:
            self.ledger.unexpected.append(f"{key}: HTTP {status} {data}")


def _same(current: dict[str, Any] | None, intended: dict[str, Any]) -> bool:
    return current is not None and all(current.get(k) == v for k, v in intended.items())
