"""Standard Webhooks signatures (https://www.standardwebhooks.com): what the signed-webhook
adapter sends, so a receiver's existing Standard Webhooks or Svix library verifies it.

The signed content is ``"{webhook-id}.{webhook-timestamp}.{body}"``; the signature is
HMAC-SHA256 under the secret's bytes (base64 after the ``whsec_`` prefix), sent as
``v1,<base64>``. The id stays the same across retries, so a receiver drops repeats.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

PREFIX = "whsec_"
TOLERANCE_S = 5 * 60


class BadSignature(Exception):
    pass


def secret_bytes(secret: str) -> bytes:
    try:
        return base64.b64decode(secret.removeprefix(PREFIX), validate=True)
    except ValueError:
        raise BadSignature("the webhook secret is not base64 (expected whsec_...)") from None


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def headers(secret: str, msg_id: str, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = int(now if now is not None else time.time())
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg_id, timestamp, body),
    }


def verify(secret: str, received: dict[str, str], body: bytes, now: float | None = None) -> None:
    """Raise ``BadSignature`` unless one of the ``v1`` signatures matches and the timestamp is
    within five minutes (what a receiver does; the tests use it as the receiver)."""
    lowered = {k.lower(): v for k, v in received.items()}
    try:
        msg_id, timestamp = lowered["webhook-id"], int(lowered["webhook-timestamp"])
    except (KeyError, ValueError):
        raise BadSignature("missing webhook-id or webhook-timestamp") from None
    if abs((now if now is not None else time.time()) - timestamp) > TOLERANCE_S:
        raise BadSignature("timestamp outside the tolerance")
    expected = sign(secret, msg_id, timestamp, body).split(",", 1)[1]
    for candidate in lowered.get("webhook-signature", "").split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return
    raise BadSignature("no matching signature")
