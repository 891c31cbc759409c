"""A real HTTP receiver on loopback for the signed-webhook adapter: it verifies the Standard
Webhooks signature, stores each delivery once by its webhook-id (as a careful receiver does),
and can be told to misbehave for the next requests: answer 429 with Retry-After, 503, hang
past the client's timeout, store the record and then drop the connection unanswered, or
refuse the body with 422."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from app.crm import signing

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


class FakeReceiver:
    def __init__(self, secret: str = SECRET) -> None:
        self.secret = secret
        self.records: dict[str, dict[str, Any]] = {}  # webhook-id -> the delivered body
        self.attempts = 0
        self.bad_signatures = 0
        self.script: deque[str] = deque()  # "429", "503", "hang", "drop", "422", "ok"
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/hooks/crm"

    def misbehave(self, *how: str) -> None:
        self.script.extend(how)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:
                return

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with fake._lock:
                    fake.attempts += 1
                    how = fake.script.popleft() if fake.script else "ok"
                try:
                    signing.verify(fake.secret, dict(self.headers.items()), body)
                except signing.BadSignature:
                    with fake._lock:
                        fake.bad_signatures += 1
                    self._answer(401, {"error": "bad signature"})
                    return
                if how == "429":
                    self._answer(429, {"error": "slow down"}, {"Retry-After": "0"})
                elif how == "503":
                    self._answer(503, {"error": "maintenance"})
                elif how == "422":
                    self._answer(422, {"error": "deal name missing"})
                elif how == "hang":  # slow: stores the record after the client has given up
                    time.sleep(1.0)
                    with fake._lock:
                        fake.records.setdefault(self.headers["webhook-id"], json.loads(body))
                    self._answer(200, {"ok": True})
                else:
                    with fake._lock:
                        fake.records.setdefault(self.headers["webhook-id"], json.loads(body))
                    if how == "drop":  # committed, but the answer never arrives
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    self._answer(200, {"ok": True})

            def _answer(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    return

        return Handler


@contextmanager
def fake_receiver() -> Iterator[FakeReceiver]:
    receiver = FakeReceiver()
    try:
        yield receiver
    finally:
        receiver.stop()
