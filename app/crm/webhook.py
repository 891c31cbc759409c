"""``SignedWebhook``: one POST per handoff, signed with Standard Webhooks headers; the
``webhook-id`` is the idempotency key, so a receiver drops a repeat."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import requests

from app.crm import signing
from app.crm.adapters import (
    DELIVERED,
    RECEIVER_CHECKS,
    REJECTED,
    RETRY,
    RETRYABLE_STATUS,
    HandoffPreview,
    Outgoing,
    PushResult,
    lead_fields,
    note_field,
    retry_after,
)


class SignedWebhook:
    name = "webhook"

    def __init__(self, url: str, secret: str, timeout_s: float = 10.0, session: requests.Session | None = None) -> None:
        signing.secret_bytes(secret)  # a bad secret is said now, not at the first push
        self.url, self.secret, self.timeout_s = url, secret, timeout_s
        self.session = session or requests.Session()

    def push(self, batch: list[Outgoing]) -> list[PushResult]:
        return [self._one(item) for item in batch]

    def preview(self, outgoing: Outgoing) -> HandoffPreview:
        url = urlsplit(self.url)  # without any credentials or query string the URL may carry
        where = f"{url.scheme}://{url.hostname or ''}{f':{url.port}' if url.port else ''}{url.path}"
        return HandoffPreview(
            "the signed webhook",
            [*lead_fields(outgoing), note_field(outgoing), ("POST to", where), ("webhook-id", outgoing.key)],
            remark=RECEIVER_CHECKS,
        )

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
            return PushResult(
                item.handoff_id, RETRY, error=error, retry_after_s=retry_after(response.headers.get("Retry-After"))
            )
        return PushResult(item.handoff_id, REJECTED, error=error)
