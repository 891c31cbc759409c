"""Raw provider deliveries as the intake stores them, and the demo catalog with a Twilio
number, for the tests that feed the pipeline end to end."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.demo import ensure_demo_catalog
from db.engine import Database
from db.models import Client, IntegrationAccount, WebhookEvent
from db.types import utcnow
from db.vocab import WebhookStatus

PHONE = "+13125550142"
TWILIO_NUMBER = "+13125550199"


def add_delivery(
    db: Database,
    provider: str,
    body: bytes | str | dict[str, Any] | list[Any],
    client: int | None = None,
    at: datetime | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """One ``webhook_events`` row (a str or bytes body as sent, anything else as JSON); its id."""
    raw = body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else json.dumps(body).encode()
    with db.write() as session:
        row = WebhookEvent(
            provider=provider,
            client_id=client,
            body=raw,
            headers=headers or {},
            owner="intake",
            source=provider,
            status=WebhookStatus.NEW,
            recovery="replay",
            received_at=at or utcnow(),
        )
        session.add(row)
        session.flush()
        return row.id


def with_twilio_number(database: Database) -> Database:
    """The demo catalog, and a Twilio number texted for Northside Plumbing."""
    with database.write() as session:
        ids = ensure_demo_catalog(session)
        session.add(
            IntegrationAccount(
                client_id=ids["northside-plumbing"],
                provider="twilio",
                kind="sms",
                label="Twilio",
                external_account_id=TWILIO_NUMBER,
            )
        )
    return database


def northside(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(Client.id).where(Client.slug == "northside-plumbing"))
