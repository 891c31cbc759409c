"""A local HTTP server shaped like HubSpot's CRM API, for tests and the CRM benchmark: batch
upsert of contacts and deals on a unique id property, default associations, a ten-second
request limit and a daily one answered with HubSpot's 429 body, the rate-limit and correlation
id headers on every answer, and scripted trouble for the next requests:

* ``429`` / ``daily``: HubSpot's 429 naming its policy (ten-second, daily);
* ``daily-unnamed``: a 429 without ``policyName`` whose daily-remaining header is 0;
* ``daily-said``: a 429 without ``policyName`` or daily headers whose message names the daily limit;
* ``secondly-unnamed``: a 429 without ``policyName`` naming the secondly limit (daily budget left);
* ``503``; ``hang`` (commits after the client gave up); ``drop`` (commits, then closes the
  connection unanswered);
* ``207``: refuses the first record of the batch as invalid (HubSpot's "Property values were not
  valid" message with the property, and ``errors[]`` with its code and ``propertyName``), keeps
  the rest; ``207-busy``: the first record is refused on a rate limit instead.

How a 207 names the refused record (``name_records_by``): ``ids`` (the id property's value, in
``context.ids``), ``objectWriteTraceId`` (the input's trace id, as HubSpot's multi-status docs
show) or ``nothing``. With ``echo_id_property=False`` results carry only HubSpot's default
properties (and the input's ``objectWriteTraceId``), not the id property."""

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
NAMINGS = ("ids", "objectWriteTraceId", "nothing")


class FakeHubSpot(LoopbackServer):
    def __init__(
        self,
        limit_per_10s: int | None = None,
        hang_s: float = 1.0,
        daily_limit: int = 500_000,
        name_records_by: str = "ids",
        echo_id_property: bool = True,
    ) -> None:
        assert name_records_by in NAMINGS
        self.limit, self.hang_s, self.daily_limit = limit_per_10s, hang_s, daily_limit
        self.name_records_by, self.echo_id_property = name_records_by, echo_id_property
        self.objects: dict[str, dict[str, dict[str, Any]]] = {"contacts": {}, "deals": {}}  # id -> properties
        self.unique: dict[tuple[str, str, str], str] = {}  # (type, property, value) -> id
        self.associations: set[tuple[str, str]] = set()
        self.requests = 0
        self.refused_429 = 0
        self.correlations: list[str] = []  # each answer's X-HubSpot-Correlation-Id, in order
        self.upserts: list[list[dict[str, Any]]] = []  # the inputs of each batch upsert, as sent
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

    def _headers(self, **overrides: str) -> dict[str, str]:
        """HubSpot's headers on every answer: a fresh correlation id and where the limits stand."""
        correlation = str(uuid.uuid4())
        self.correlations.append(correlation)
        headers = {
            "X-HubSpot-Correlation-Id": correlation,
            "X-HubSpot-RateLimit-Daily": str(self.daily_limit),
            "X-HubSpot-RateLimit-Daily-Remaining": str(max(self.daily_limit - self.requests, 0)),
            "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
        }
        if self.limit is not None:
            headers.update(
                {
                    "X-HubSpot-RateLimit-Max": str(self.limit),
                    "X-HubSpot-RateLimit-Remaining": str(max(self.limit - len(self._recent), 0)),
                }
            )
        headers.update(overrides)
        return {name: value for name, value in headers.items() if value}

    def _refusal(self, inp: dict[str, Any], category: str) -> dict[str, Any]:
        """HubSpot's error for one record, naming it as ``name_records_by`` says."""
        context = {
            "ids": {"ids": [inp["id"]]},
            "nothing": {},
            "objectWriteTraceId": {"objectWriteTraceId": [inp.get("objectWriteTraceId", "")]},
        }[self.name_records_by]
        if category == "RATE_LIMITS":
            return {
                "status": "error",
                "category": category,
                "message": "You have reached your secondly limit.",
                "context": context,
            }
        name = "email" if "email" in inp["properties"] else next(iter(inp["properties"]))
        said = (
            f"Email address {inp['properties'][name]} is invalid"
            if name == "email"
            else f"{inp['properties'][name]} was not a valid value for {name}"
        )
        code = "INVALID_EMAIL" if name == "email" else "INVALID_OPTION"
        listed = [{"isValid": False, "message": said, "error": code, "name": name}]
        return {
            "status": "error",
            "category": category,
            "message": f"Property values were not valid: {json.dumps(listed, separators=(',', ':'))}",
            "errors": [{"message": said, "code": code, "in": name, "context": {"propertyName": [name]}}],
            "context": context,
        }

    def _upsert(self, kind: str, inputs: list[dict[str, Any]], refuse_first: str) -> tuple[int, dict[str, Any]]:
        self.upserts.append(inputs)
        results, errors = [], []
        for number, inp in enumerate(inputs):
            if refuse_first and number == 0:
                errors.append(self._refusal(inp, refuse_first))
                continue
            key = (kind, inp["idProperty"], str(inp["id"]).lower())
            object_id = self.unique.get(key)
            new = object_id is None
            if new:
                object_id = str(len(self.objects[kind]) + 1001)
                self.unique[key] = object_id
                self.objects[kind][object_id] = {}
            self.objects[kind][object_id].update(inp["properties"])
            shown = dict(self.objects[kind][object_id]) if self.echo_id_property else {"hs_object_id": object_id}
            result = {"id": object_id, "properties": shown, "new": new, "archived": False}
            if inp.get("objectWriteTraceId"):
                result["objectWriteTraceId"] = inp["objectWriteTraceId"]
            results.append(result)
        body: dict[str, Any] = {"status": "COMPLETE", "results": results}
        if errors:
            body.update(errors=errors, numErrors=len(errors))
        return (207 if errors else 200), body

    def _search(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Contacts matching any filter group (each an EQ on one property)."""
        results = []
        for object_id, properties in self.objects["contacts"].items():
            for group in payload.get("filterGroups", []):
                if all(
                    str(properties.get(f["propertyName"], "")).lower() == str(f["value"]).lower()
                    for f in group.get("filters", [])
                ):
                    results.append({"id": object_id, "properties": dict(properties)})
                    break
        return {"total": len(results), "results": results}

    def _rate_limited(self, how: str, limited: bool) -> tuple[dict[str, Any], dict[str, str]] | None:
        """HubSpot's 429 body and headers when this request is over a limit, else None."""
        body: dict[str, Any] = {"status": "error", "errorType": "RATE_LIMIT", "correlationId": str(uuid.uuid4())}
        if how == "daily" or self.requests > self.daily_limit:
            return {**body, "message": "You have reached your daily limit.", "policyName": "DAILY"}, {}
        if how == "daily-unnamed":
            return {**body, "message": "Too many requests.", "category": "RATE_LIMITS"}, {
                "X-HubSpot-RateLimit-Daily-Remaining": "0"
            }
        if how == "daily-said":
            return {**body, "message": "You have reached your daily limit.", "category": "RATE_LIMITS"}, {
                "X-HubSpot-RateLimit-Daily": "",
                "X-HubSpot-RateLimit-Daily-Remaining": "",
            }
        if how == "secondly-unnamed":
            return {**body, "message": "You have reached your secondly limit.", "category": "RATE_LIMITS"}, {
                "Retry-After": "0"
            }
        if limited or how == "429":
            return {
                **body,
                "message": "You have reached your ten_secondly_rolling limit.",
                "policyName": "TEN_SECONDLY_ROLLING",
            }, {}
        return None

    def _handler(self) -> type[JsonHandler]:
        fake = self

        class Handler(JsonHandler):
            def reply(self, status: int, body: dict[str, Any], **headers: str) -> None:
                with fake._lock:
                    sent = fake._headers(**headers)
                self.answer(status, body, sent)

            def do_POST(self) -> None:  # noqa: N802
                payload = json.loads(self.read_body() or b"{}")
                with fake._lock:
                    fake.requests += 1
                    how = fake.next_behaviour()
                    refused = fake._rate_limited(how, fake._over_limit())
                    if refused:
                        fake.refused_429 += 1
                if refused:
                    self.reply(429, refused[0], **refused[1])
                    return
                if how == "503":
                    self.reply(
                        503, {"status": "error", "message": "Service unavailable", "correlationId": str(uuid.uuid4())}
                    )
                    return
                if how == "hang":
                    time.sleep(fake.hang_s)
                refuse_first = {"207": "VALIDATION_ERROR", "207-busy": "RATE_LIMITS"}.get(how, "")
                with fake._lock:
                    status, body = self._apply(payload, refuse_first)
                if how == "drop":
                    self.drop()
                    return
                self.reply(status, body)

            def do_GET(self) -> None:  # noqa: N802 (a deal by its unique property)
                path, _, query = self.path.partition("?")
                parts, params = path.strip("/").split("/"), dict(parse_qsl(query))
                if parts == ["crm", "v3", "objects", "contacts"]:  # a list read (the settings' Test)
                    refused = self.headers.get("Authorization") == f"Bearer {REFUSED_TOKEN}"
                    self.reply(
                        401 if refused else 200,
                        {"status": "error", "message": "Authentication credentials not found"}
                        if refused
                        else {"results": []},
                    )
                    return
                with fake._lock:
                    fake.requests += 1
                    found = fake.unique.get(("deals", params.get("idProperty", ""), unquote(parts[-1]).lower()))
                    record = fake.objects["deals"].get(found) if found else None
                if parts[:4] != ["crm", "v3", "objects", "deals"] or record is None:
                    self.reply(404, {"status": "error", "message": "resource not found"})
                    return
                self.reply(200, {"id": found, "properties": dict(record)})

            def _apply(self, payload: dict[str, Any], refuse_first: str) -> tuple[int, dict[str, Any]]:
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
        print(
            json.dumps(
                {
                    "requests": server.requests,
                    "refused_429": server.refused_429,
                    "deals": len(server.objects["deals"]),
                    "contacts": len(server.objects["contacts"]),
                    "associations": len(server.associations),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
