"""Where approved handoffs go. Each adapter takes a batch of handoffs and says, per handoff,
what happened: delivered, worth retrying (with the server's Retry-After when it gave one),
or rejected for good (a 4xx validation error: retrying would not help). Each also previews a
handoff before it is approved: where it goes and what it sends (HubSpot adds its lookups).

* ``OutboxFolder`` (the default with nothing configured): one JSON file per handoff, named by
  its idempotency key and written atomically, so a repeat rewrites the same file.
* ``SignedWebhook`` (``app.crm.webhook``) and ``HubSpot`` (``app.crm.hubspot``) speak HTTP and
  live in their own modules, so a worker that writes to the outbox folder never imports requests.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol

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


@dataclass(frozen=True)
class HandoffPreview:
    """What a handoff will send, shown before it is approved (nothing is written anywhere)."""

    destination: str
    fields: list[tuple[str, str]]
    duplicates: list[str] = field(default_factory=list)
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # field, in the CRM now, after
    remark: str = ""  # "new deal", "unchanged", or why the CRM could not be asked

    def as_text(self) -> str:
        lines = [f"Goes to: {self.destination}", ""]
        lines += [f"{name}: {value}" for name, value in self.fields]
        if self.duplicates:
            lines += ["", "Already in the CRM with this email or phone:"] + [f"  {d}" for d in self.duplicates]
        if self.changes:
            lines += ["", "Would change in the CRM:"] + [f"  {f}: {old!r} → {new!r}" for f, old, new in self.changes]
        if self.remark:
            lines += ["", self.remark]
        return "\n".join(lines)


RECEIVER_CHECKS = "The receiving system checks for duplicates."


def lead_fields(outgoing: Outgoing) -> list[tuple[str, str]]:
    """The contact and deal fields every adapter sends, as the preview shows them."""
    contact, deal = outgoing.payload.get("contact") or {}, outgoing.payload.get("deal") or {}
    return [
        ("Contact", str(contact.get("name") or "")),
        ("Email", str(contact.get("email") or "—")),
        ("Phone", str(contact.get("phone") or "—")),
        ("Deal", str(deal.get("name") or "")),
    ]


def note_field(outgoing: Outgoing) -> tuple[str, str]:
    return "Note", str(outgoing.payload.get("note") or "")


class Adapter(Protocol):
    name: str

    def push(self, batch: list[Outgoing]) -> list[PushResult]: ...

    def preview(self, outgoing: Outgoing) -> HandoffPreview:
        """Where ``outgoing`` would go and what it would send; may make read requests, writes nothing."""
        ...


class OutboxFolder:
    name = "outbox"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _target(self, item: Outgoing) -> Path:
        return self.folder / f"{item.key.replace(':', '-')}.json"

    def preview(self, outgoing: Outgoing) -> HandoffPreview:
        return HandoffPreview(
            "the local outbox folder",
            [*lead_fields(outgoing), note_field(outgoing), ("Written to", str(self._target(outgoing)))],
            remark=RECEIVER_CHECKS,
        )

    def push(self, batch: list[Outgoing]) -> list[PushResult]:
        results = []
        for item in batch:
            target = self._target(item)
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


class Unusable:
    """A client's adapter that cannot be used (no token or secret, no webhook URL, an unreadable
    mapping): its handoffs wait an hour at a time, and both they and the preview say why."""

    name = "unusable"

    def __init__(self, reason: str = "") -> None:
        self.reason = reason

    def _why(self, item: Outgoing) -> str:
        because = f" ({self.reason})" if self.reason else ""
        return f"no usable CRM adapter for {item.payload.get('client')}{because}: see Settings → CRM handoffs"

    def push(self, batch: list[Outgoing]) -> list[PushResult]:
        return [PushResult(i.handoff_id, RETRY, error=self._why(i), retry_after_s=3600.0) for i in batch]

    def preview(self, outgoing: Outgoing) -> HandoffPreview:
        return HandoffPreview(f"nowhere yet ({self._why(outgoing)})", [*lead_fields(outgoing), note_field(outgoing)])


class PerClient:
    """Each client's handoffs to the adapter chosen for it, the rest to ``default``: one
    batch is split by client and the answers merged in the batch's order; a preview goes to
    the client's adapter."""

    name = "per-client"

    def __init__(self, chosen: dict[str, Adapter | None], default: Adapter | None) -> None:
        """``chosen`` None (or ``Unusable``) for a client: its adapter cannot be used, so its
        handoffs wait."""
        self.chosen, self.default = chosen, default
        self._unusable = Unusable()

    def _adapter_for(self, item: Outgoing) -> Adapter:
        adapter = self.chosen.get(str(item.payload.get("client") or ""), self.default)
        return self._unusable if adapter is None else adapter

    def push(self, batch: list[Outgoing]) -> list[PushResult]:
        groups: dict[int, tuple[Adapter, list[Outgoing]]] = {}
        for item in batch:
            adapter = self._adapter_for(item)
            groups.setdefault(id(adapter), (adapter, []))[1].append(item)
        results: dict[int, PushResult] = {}
        for adapter, items in groups.values():
            results.update((r.handoff_id, r) for r in adapter.push(items))
        return [results[item.handoff_id] for item in batch]

    def preview(self, outgoing: Outgoing) -> HandoffPreview:
        return self._adapter_for(outgoing).preview(outgoing)


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
