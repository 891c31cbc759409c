"""Where approved handoffs go. Each adapter takes a batch of handoffs and says, per handoff,
what happened: delivered, worth retrying (with the server's Retry-After when it gave one),
or rejected for good (a 4xx validation error: retrying would not help).

* ``OutboxFolder`` (the default with nothing configured): one JSON file per handoff, named by
  its idempotency key and written atomically, so a repeat rewrites the same file.
* ``SignedWebhook``: one POST per handoff, signed with Standard Webhooks headers; the
  ``webhook-id`` is the idempotency key, so a receiver drops a repeat.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol

import requests

from app.crm import signing

DELIVERED, RETRY, REJECTED = "delivered", "retry", "rejected"
# 401/403 too: a token or secret can be fixed, and three refusals in a day pause the workflow.
RETRYABLE_STATUS = frozenset({401, 403, 408, 409, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Outgoing:
    handoff_id: int
    key: str  # the idempotency key
    payload: dict[str, Any]


@dataclass(frozen=True)
class PushResult:
    handoff_id: int
    outcome: str  # DELIVERED, RETRY or REJECTED
    external_id: str | None = None
    error: str = ""
    retry_after_s: float | None = None


class Adapter(Protocol):
    name: str

    def push(self, batch: list[Outgoing]) -> list[PushResult]: ...


class OutboxFolder:
    name = "outbox"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def push(self, batch: list[Outgoing]) -> list[PushResult]:
        results = []
        for item in batch:
            target = self.folder / f"{item.key.replace(':', '-')}.json"
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".writing-")
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump({"idempotency_key": item.key, **item.payload}, out, indent=2, ensure_ascii=False)
                os.replace(temporary, target)
            except OSError as exc:
                results.append(PushResult(item.handoff_id, RETRY, error=f"cannot write {target}: {exc.strerror}"))
                continue
            results.append(PushResult(item.handoff_id, DELIVERED, external_id=target.name))
        return results


class SignedWebhook:
    name = "webhook"

    def __init__(self, url: str, secret: str, timeout_s: float = 10.0,
                 session: requests.Session | None = None) -> None:
        signing.secret_bytes(secret)  # a bad secret is said now, not at the first push
        self.url, self.secret, self.timeout_s = url, secret, timeout_s
        self.session = session or requests.Session()

    def push(self, batch: list[Outgoing]) -> list[PushResult]:
        return [self._one(item) for item in batch]

    def _one(self, item: Outgoing) -> PushResult:
        body = json.dumps({"type": "crm_handoff.approved", "data": item.payload}, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json", **signing.headers(self.secret, item.key, body)}
        try:
            response = self.session.post(self.url, data=body, headers=headers, timeout=self.timeout_s)
        except requests.RequestException as exc:  # timeouts, refused or dropped connections
            return PushResult(item.handoff_id, RETRY, error=f"no answer from {self.url} ({type(exc).__name__})")
        if 200 <= response.status_code < 300:
            return PushResult(item.handoff_id, DELIVERED, external_id=item.key)
        error = f"HTTP {response.status_code}: {response.text[:300]}"
        if response.status_code in RETRYABLE_STATUS:
            return PushResult(item.handoff_id, RETRY, error=error,
                              retry_after_s=retry_after(response.headers.get("Retry-After")))
        return PushResult(item.handoff_id, REJECTED, error=error)


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


class PerClient:
    """Each client's handoffs to the adapter chosen for it, the rest to ``default``: one
    batch is split by client and the answers merged in the batch's order."""

    name = "per-client"

    def __init__(self, chosen: dict[str, Adapter | None], default: Adapter | None) -> None:
        """``chosen`` None for a client: its adapter cannot be used, so its handoffs wait."""
        self.chosen, self.default = chosen, default

    def push(self, batch: list[Outgoing]) -> list[PushResult]:
        groups: dict[int, tuple[Adapter | None, list[Outgoing]]] = {}
        for item in batch:
            adapter = self.chosen.get(str(item.payload.get("client") or ""), self.default)
            groups.setdefault(id(adapter), (adapter, []))[1].append(item)
        results: dict[int, PushResult] = {}
        for adapter, items in groups.values():
            if adapter is None:  # this client's CRM is not usable: the handoffs wait, and say why
                results.update((i.handoff_id, PushResult(i.handoff_id, RETRY, error="no usable CRM adapter for "
                                                         f"{i.payload.get('client')}: see Settings → CRM handoffs",
                                                         retry_after_s=3600.0)) for i in items)
                continue
            results.update((r.handoff_id, r) for r in adapter.push(items))
        return [results[item.handoff_id] for item in batch]


ADAPTER_NAMES = ("outbox", "hubspot", "webhook")


def parse_client_adapters(text: str) -> dict[str, str]:
    """``Client name = hubspot; Other = outbox`` to {client: adapter}; a bad part raises
    ValueError naming it."""
    chosen: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.replace("\n", ";").split(";"))):
        client, sep, name = (x.strip() for x in part.partition("="))
        if not sep or not client or name not in ADAPTER_NAMES:
            raise ValueError(f"cannot read {part!r}: write 'Client name = {' | '.join(ADAPTER_NAMES)}'")
        chosen[client] = name
    return chosen
