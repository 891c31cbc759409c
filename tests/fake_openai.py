"""A real HTTP server on loopback speaking the OpenAI chat-completions shape, for tests and
benchmarks. It answers the way OpenAI-compatible servers do (JSON bodies, ``usage``,
``finish_reason``, error objects, ``Retry-After``) so the openai SDK is exercised unpatched.

Each request is answered by the next scripted ``Reply`` if any are queued, else by
``default``: a valid draft built from the request's own SIGNAL (its flag quotes the signal,
as a well-behaved model would). Every request body is kept in ``requests`` for assertions.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_SAID = re.compile(r"they wrote or said: (.+)")


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # a dict is sent as JSON, a str as it is
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


def completion(
    content: str, finish_reason: str = "stop", prompt_tokens: int = 120, completion_tokens: int = 60
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "test-model",
        "choices": [{"index": 0, "finish_reason": finish_reason, "message": {"role": "assistant", "content": content}}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def error(status: int, message: str, kind: str = "invalid_request_error") -> Reply:
    return Reply(status, {"error": {"message": message, "type": kind, "param": None, "code": None}})


def draft_json(
    client_note: str = "A new inquiry arrived through the website form. The team will follow up today.",
    flags: list[dict[str, str]] | None = None,
    confidence: float = 0.9,
    used_snippets: list[int] | None = None,
    summary: str = "A lead asked for help.",
) -> str:
    return json.dumps(
        {
            "internal_summary": summary,
            "client_note": client_note,
            "risk_flags": flags or [],
            "next_action": "Call the lead back today.",
            "used_snippets": used_snippets or [],
            "confidence": confidence,
        }
    )


def user_message(request: dict[str, Any]) -> str:
    return next((m["content"] for m in request.get("messages", []) if m.get("role") == "user"), "")


def sensible_draft(request: dict[str, Any]) -> Reply:
    """What a good model answers: a grounded note, and a flag quoting the signal verbatim."""
    said = _SAID.search(user_message(request))
    flags = []
    if said and ("lawyer" in said.group(1).lower() or "insurance" in said.group(1).lower()):
        quote = said.group(1)[:40]
        flags.append(
            {
                "code": "legal_medical_compliance",
                "severity": "high",
                "evidence": quote,
                "reason": "legal or insurance matter",
            }
        )
    return Reply(body=completion(draft_json(flags=flags)))


class FakeOpenAI:
    def __init__(
        self,
        default: Callable[[dict[str, Any]], Reply] = sensible_draft,
        latency_s: float = 0.0,
        structured_output: bool = True,
    ) -> None:
        self.default = default
        self.latency_s = latency_s
        self.structured_output = structured_output
        self.script: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.arrivals: list[float] = []  # monotonic time each request arrived
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def queue(self, *replies: Reply) -> None:
        self.script.extend(replies)

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, request: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(request)
            self.arrivals.append(time.monotonic())
            scripted = self.script.popleft() if self.script else None
        if scripted is not None:
            return scripted
        fmt = (request.get("response_format") or {}).get("type")
        if fmt == "json_schema" and not self.structured_output:
            return error(400, "response_format json_schema is not supported by this server")
        return self.default(request)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle's algorithm on, a kept-alive
            # connection then waits for a delayed ACK (~40 ms) per answer. Real servers set
            # TCP_NODELAY too.
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:  # quiet
                return

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                if self.path.rstrip("/").endswith("/models"):
                    self._send(
                        Reply(
                            body={
                                "object": "list",
                                "data": [{"id": "test-model", "object": "model", "created": 0, "owned_by": "test"}],
                            }
                        )
                    )
                else:
                    self._send(error(404, "not found"))

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(error(404, "not found"))
                    return
                try:
                    request = json.loads(raw)
                except json.JSONDecodeError:
                    self._send(error(400, "body is not JSON"))
                    return
                reply = fake._answer(request)
                time.sleep(fake.latency_s + reply.delay_s)
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                body = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
                data = body.encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up (a timeout test): nothing to answer

        return Handler


@contextmanager
def fake_openai(**options: Any) -> Iterator[FakeOpenAI]:
    server = FakeOpenAI(**options).start()
    try:
        yield server
    finally:
        server.stop()


def main() -> None:
    """Serve in a process of its own (the benchmark's server, so its threads do not compete
    with the desk's): prints the base URL, serves until stdin closes, then prints the
    arrival times of the requests as JSON."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="A local OpenAI-compatible test server.")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    args = parser.parse_args()
    with fake_openai(latency_s=args.latency) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()
        print(json.dumps(server.arrivals), flush=True)


if __name__ == "__main__":
    main()
