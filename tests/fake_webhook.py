"""A real HTTP receiver on loopback for the signed-webhook adapter: it verifies the Standard
Webhooks signature, stores each delivery once by its webhook-id (as a careful receiver does),
and can be told to misbehave for the next requests: answer 429 with Retry-After, 503, hang
past the client's timeout, store the record and then drop the connection unanswered, or
refuse the body with 422."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from app.crm import signing
from tests.fake_http import JsonHandler, LoopbackServer

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


class FakeReceiver(LoopbackServer):
    def __init__(self, secret: str = SECRET) -> None:
        self.secret = secret
        self.records: dict[str, dict[str, Any]] = {}  # webhook-id -> the delivered body
        self.attempts = 0
        self.bad_signatures = 0
        super().__init__(self._handler())

    @property
    def url(self) -> str:
        return f"{self.root}/hooks/crm"

    def _handler(self) -> type[JsonHandler]:
        fake = self

        class Handler(JsonHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.read_body()
                with fake._lock:
                    fake.attempts += 1
                    how = fake.next_behaviour()
                try:
                    signing.verify(fake.secret, dict(self.headers.items()), body)
                except signing.BadSignature:
                    with fake._lock:
                        fake.bad_signatures += 1
                    self.answer(401, {"error": "bad signature"})
                    return
                if how == "429":
                    self.answer(429, {"error": "slow down"}, {"Retry-After": "0"})
                elif how == "503":
                    self.answer(503, {"error": "maintenance"})
                elif how == "422":
                    self.answer(422, {"error": "deal name missing"})
                elif how == "hang":  # slow: stores the record after the client has given up
                    time.sleep(1.0)
                    with fake._lock:
                        fake.records.setdefault(self.headers["webhook-id"], json.loads(body))
                    self.answer(200, {"ok": True})
                else:
                    with fake._lock:
                        fake.records.setdefault(self.headers["webhook-id"], json.loads(body))
                    if how == "drop":  # committed, but the answer never arrives
                        self.drop()
                        return
                    self.answer(200, {"ok": True})

        return Handler


@contextmanager
def fake_receiver() -> Iterator[FakeReceiver]:
    receiver = FakeReceiver()
    try:
        yield receiver
    finally:
        receiver.stop()
