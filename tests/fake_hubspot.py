"""A local HTTP server shaped like HubSpot's CRM API, for tests and the CRM benchmark: batch
upsert of contacts and deals on a unique id property, default associations, a ten-second
request limit answered with HubSpot's 429 body, and scripted trouble for the next requests:
``429`` (ten-second policy), ``daily`` (daily policy), ``503``, ``hang`` (commits after the
client gave up), ``drop`` (commits, then closes the connection unanswered), ``207`` (refuses
the first record of the batch, keeps the rest)."""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, unquote

from tests.fake_http import JsonHandler, LoopbackServer


REFUSED_TOKEN = "pat-revoked"  # the one token this fake refuses


class FakeHubSpot(LoopbackServer):
    def __init__(self, limit_per_10s: int | None = None, hang_s: float = 1.0) -> None:
        self.limit, self.hang_s = limit_per_10s, hang_s
        self.objects: dict[str, dict[str, dict[str, Any]]] = {"contacts": {}, "deals": {}}  # id -> properties
        self.unique: dict[tuple[str, str, str], str] = {}  # (type, property, value) -> id
        self.associations: set[tuple[str, str]] = set()
        self.requests = 0
        self.refused_429 = 0
        self._recent: deque[float] = deque()
        super().__init__(self._handler())

    @property
    def url(self) -> str:
        return self.root

    def count(self, kind: str, prop: str, value: str) -> int:
        return sum(1 for p in self.objects[kind].values() if str(p.get(prop, "")).lower() == value.lower())

    # --- the API ------------------------------------------------------------------------

    def _over_limit(self) -> bool:
        if self.limit is None:
            return False
        now = time.monotonic()
        while self._recent and now - self._recent[0] >= 10:
            self._recent.popleft()
        if len(self._recent) >= self.limit:
            return True
        self._recent.append(now)
        return False

    def _upsert(self, kind: str, inputs: list[dict[str, Any]], refuse_first: bool) -> tuple[int, dict[str, Any]]:
        results, errors = [], []
        for number, inp in enumerate(inputs):
            if refuse_first and number == 0:
                errors.append({"status": "error", "category": "VALIDATION_ERROR", "message": "Property values were not valid",
                               "context": {"ids": [inp["id"]]}})
                continue
            key = (kind, inp["idProperty"], str(inp["id"]).lower())
            object_id = self.unique.get(key)
            new = object_id is None
            if new:
                object_id = str(len(self.objects[kind]) + 1001)
                self.unique[key] = object_id
                self.objects[kind][object_id] = {}
            self.objects[kind][object_id].update(inp["properties"])
            results.append({"id": object_id, "properties": dict(self.objects[kind][object_id]), "new": new})
        body: dict[str, Any] = {"status": "COMPLETE", "results": results}
        if errors:
            body.update(errors=errors, numErrors=len(errors), correlationId=str(uuid.uuid4()))
        return (207 if errors else 200), body

    def _search(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Contacts matching any filter group (each an EQ on one property)."""
        results = []
        for object_id, properties in self.objects["contacts"].items():
            for group in payload.get("filterGroups", []):
                if all(str(properties.get(f["propertyName"], "")).lower() == str(f["value"]).lower()
                       for f in group.get("filters", [])):
                    results.append({"id": object_id, "properties": dict(properties)})
                    break
        return {"total": len(results), "results": results}

    def _handler(self) -> type[JsonHandler]:
        fake = self

        class Handler(JsonHandler):
            def do_POST(self) -> None:  # noqa: N802
                payload = json.loads(self.read_body() or b"{}")
                with fake._lock:
                    fake.requests += 1
                    how = fake.next_behaviour()
                    limited = fake._over_limit()
                if limited or how in ("429", "daily"):
                    with fake._lock:
                        fake.refused_429 += 1
                    policy = "DAILY" if how == "daily" else "TEN_SECONDLY_ROLLING"
                    self.answer(429, {"status": "error", "message": f"You have reached your {policy.lower()} limit.",
                                       "errorType": "RATE_LIMIT", "policyName": policy,
                                       "correlationId": str(uuid.uuid4())})
                    return
                if how == "503":
                    self.answer(503, {"status": "error", "message": "Service unavailable",
                                       "correlationId": str(uuid.uuid4())})
                    return
                if how == "hang":
                    time.sleep(fake.hang_s)
                with fake._lock:
                    status, body = self._apply(payload, refuse_first=how == "207")
                if how == "drop":
                    self.drop()
                    return
                self.answer(status, body)

            def do_GET(self) -> None:  # noqa: N802 (a deal by its unique property)
                path, _, query = self.path.partition("?")
                parts, params = path.strip("/").split("/"), dict(parse_qsl(query))
                if parts == ["crm", "v3", "objects", "contacts"]:  # a list read (the settings' Test)
                    refused = self.headers.get("Authorization") == f"Bearer {REFUSED_TOKEN}"
                    self.answer(401 if refused else 200, {"status": "error", "message": "Authentication credentials "
                                                          "not found"} if refused else {"results": []})
                    return
                with fake._lock:
                    fake.requests += 1
                    found = fake.unique.get(("deals", params.get("idProperty", ""), unquote(parts[-1]).lower()))
                    record = fake.objects["deals"].get(found) if found else None
                if parts[:4] != ["crm", "v3", "objects", "deals"] or record is None:
                    self.answer(404, {"status": "error", "message": "resource not found"})
                    return
                self.answer(200, {"id": found, "properties": dict(record)})

            def _apply(self, payload: dict[str, Any], refuse_first: bool) -> tuple[int, dict[str, Any]]:
                parts = self.path.strip("/").split("/")
                if parts[:3] == ["crm", "v3", "objects"] and parts[4:] == ["batch", "upsert"]:
                    return fake._upsert(parts[3], payload.get("inputs", []), refuse_first)
                if parts == ["crm", "v3", "objects", "contacts", "search"]:
                    return 200, fake._search(payload)
                if parts[:3] == ["crm", "v4", "associations"] and parts[5:] == ["batch", "associate", "default"]:
                    for pair in payload.get("inputs", []):
                        fake.associations.add((pair["from"]["id"], pair["to"]["id"]))
                    return 200, {"status": "COMPLETE", "results": []}
                return 404, {"status": "error", "message": f"no route {self.path}"}

        return Handler


@contextmanager
def fake_hubspot(**options: Any) -> Iterator[FakeHubSpot]:
    server = FakeHubSpot(**options)
    try:
        yield server
    finally:
        server.stop()


def main() -> None:
    """Serve in a process of its own (the benchmark's): prints the URL, serves until stdin
    closes, then prints what it holds as JSON."""
    parser = argparse.ArgumentParser(description="A local HubSpot-shaped test server.")
    parser.add_argument("--limit", type=int, default=None, help="requests allowed per ten seconds")
    args = parser.parse_args()
    with fake_hubspot(limit_per_10s=args.limit) as server:
        print(server.url, flush=True)
        sys.stdin.read()
        print(json.dumps({"requests": server.requests, "refused_429": server.refused_429,
                          "deals": len(server.objects["deals"]), "contacts": len(server.objects["contacts"]),
                          "associations": len(server.associations)}), flush=True)


if __name__ == "__main__":
    main()
