"""The pipeline's rules, driven through the real poller on SQLite: checks, routing, opt-out,
held rows and provider syncs."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.demo import ensure_demo_catalog
from app.pipeline.poller import PollConfig, PollResult, drain
from app.services.intake import replay
from db.engine import Database
from db.models import (
    Client,
    DataSource,
    Draft,
    IntegrationAccount,
    Lead,
    MetricSnapshot,
    OwnerTask,
    ProviderImportBatch,
    ReviewItem,
    RiskFlag,
    WebhookEvent,
)
from db.types import utcnow
from db.vocab import ItemKind, Severity, WebhookStatus, Workflow
from tests.deliveries import add_delivery

PAYLOADS = Path(__file__).parent / "payloads"
_counter = iter(range(1, 10**6))


@pytest.fixture
def db(sqlite_database: Database) -> Database:
    with sqlite_database.write() as session:
        ensure_demo_catalog(session)
    return sqlite_database


def client_id(db: Database, slug: str = "northside-plumbing") -> int:
    with db.read() as session:
        return session.scalar(select(Client.id).where(Client.slug == slug))


def deliver(
    db: Database, config: PollConfig, provider: str, body: dict[str, Any] | str, client: int | None
) -> PollResult:
    add_delivery(db, provider, body, client)
    return drain(db, config)


def form(message: str = "Kitchen drain is slow.", phone: str = "(312) 555-0142", **extra: Any) -> dict[str, Any]:
    body = {
        "form_type": "contact",
        "submission_id": f"sub_rules_{next(_counter)}",
        "submitted_at": utcnow().isoformat(),
        "fields": {
            "name": "Maria Lopez",
            "phone": phone,
            "email": "maria@example.com",
            "service": "Drain cleaning",
            "message": message,
        },
        "consent": {"sms": True},
    }
    body.update(extra)
    return body


def missed_call(phone: str = "+13125550177", first_call: bool = True) -> dict[str, Any]:
    return {
        "resource_id": f"CALrules{next(_counter)}",
        "answered": False,
        "call_type": "missed",
        "customer_phone_number": phone,
        "customer_name": "JAMES CARTER",
        "start_time": utcnow().isoformat(),
        "first_call": first_call,
        "tracking_phone_number": "+13125550199",
        "company_id": "COM000001",
    }


def items(db: Database) -> list[ReviewItem]:
    with db.read() as session:
        return list(session.scalars(select(ReviewItem).order_by(ReviewItem.id)))


def flags(db: Database, item_id: int) -> dict[str, int]:
    with db.read() as session:
        return dict(
            session.execute(select(RiskFlag.code, RiskFlag.severity).where(RiskFlag.review_item_id == item_id)).all()
        )


def test_a_plain_new_lead_gets_one_follow_up_message_from_the_approved_template(
    db: Database, poll_config: PollConfig
) -> None:
    deliver(db, poll_config, "web_form", form(), client_id(db))
    (item,) = items(db)
    assert (item.kind, item.workflow) == (ItemKind.MESSAGE, Workflow.NEW_LEAD_FOLLOW_UP)
    with db.read() as session:
        text = session.scalar(select(Draft.client_text).where(Draft.review_item_id == item.id))
    assert text.startswith("Hi Maria, thanks for contacting Northside Plumbing about drain cleaning")
    assert text.endswith("Reply STOP to opt out.")


def test_a_missed_call_from_a_new_caller_gets_an_owner_task_and_a_text_back(
    db: Database, poll_config: PollConfig
) -> None:
    result = deliver(db, poll_config, "callrail", missed_call(), None)  # client via the account
    assert result.tasks == 1
    (item,) = items(db)
    assert item.workflow == Workflow.MISSED_CALL_TEXTBACK and item.client_id == client_id(db)
    with db.read() as session:
        task = session.scalar(select(OwnerTask))
        assert task.title == "Call back James Carter" and task.priority == 1
        assert timedelta(minutes=14) < task.due_at - task.created_at <= timedelta(minutes=15)
    again = deliver(db, poll_config, "callrail", missed_call(first_call=False), None)
    assert again.tasks == 0, "a returning caller is not a new urgent lead"


def test_emergency_words_route_to_an_owner_task_and_hold_back_nurture(db: Database, poll_config: PollConfig) -> None:
    result = deliver(db, poll_config, "web_form", form("Pipe burst, water everywhere!"), client_id(db))
    assert result.tasks == 1
    (item,) = items(db)
    assert item.kind == ItemKind.PORTAL_NOTE and item.priority == 1


def test_a_quote_above_the_clients_threshold_is_high_value(db: Database, poll_config: PollConfig) -> None:
    with db.write() as session:
        session.get(Client, client_id(db)).high_value_threshold = Decimal("5000")
    quote = form(form_type="quote")
    quote["fields"]["budget"] = "$8,000"
    result = deliver(db, poll_config, "web_form", quote, client_id(db))
    assert result.tasks == 1
    with db.read() as session:
        assert "at or above 5,000" in session.scalar(select(OwnerTask.reason))
    small = form(form_type="quote")
    small["fields"]["budget"] = "900"
    small["fields"]["phone"] = "(312) 555-0150"
    assert deliver(db, poll_config, "web_form", small, client_id(db)).tasks == 0


def test_stop_opts_the_lead_out_and_flags_its_waiting_messages(db: Database, poll_config: PollConfig) -> None:
    deliver(db, poll_config, "web_form", form(phone="+13125550142"), client_id(db))
    (message,) = items(db)
    with db.write() as session:
        session.add(
            IntegrationAccount(
                client_id=client_id(db),
                provider="twilio",
                kind="sms",
                label="Twilio",
                external_account_id="+13125550199",
            )
        )
    stop = "MessageSid=SM1&From=%2B13125550142&To=%2B13125550199&Body=STOP"
    deliver(db, poll_config, "twilio", stop, None)
    with db.read() as session:
        lead = session.scalar(select(Lead))
        assert lead.opted_out and lead.consent == "denied"
        assert session.get(ReviewItem, message.id).version == message.version + 1
    assert flags(db, message.id)["opt_out"] == Severity.HIGH
    deliver(db, poll_config, "web_form", form("Me again", phone="+13125550142"), client_id(db))
    latest = items(db)[-1]
    assert latest.kind == ItemKind.PORTAL_NOTE, "no message is drafted for an opted-out lead"
    assert "opt_out" in flags(db, latest.id)


def test_duplicates_spam_and_stale_data_are_flagged(db: Database, poll_config: PollConfig) -> None:
    with db.write() as session:
        source = session.scalar(
            select(DataSource).where(DataSource.provider == "callrail", DataSource.client_id == client_id(db))
        )
        source.last_synced_at = utcnow() - timedelta(days=3)
    deliver(db, poll_config, "web_form", form(), client_id(db))
    deliver(db, poll_config, "web_form", form("Still waiting to hear back"), client_id(db))
    assert "duplicate" in flags(db, items(db)[-1].id)
    spam = form("We do SEO and backlinks: https://a.example https://b.example", phone="(312) 555-0111")
    deliver(db, poll_config, "web_form", spam, client_id(db))
    spam_item = items(db)[-1]
    assert flags(db, spam_item.id)["spam"] == Severity.HIGH and spam_item.priority == 4
    assert spam_item.kind == ItemKind.PORTAL_NOTE
    deliver(db, poll_config, "callrail", missed_call("+13125550166"), None)
    assert "stale_provider_data" in flags(db, items(db)[-1].id)


def test_an_unmapped_account_is_held_and_replayed_once_mapped(db: Database, poll_config: PollConfig) -> None:
    call = missed_call()
    call["company_id"] = "COM-UNMAPPED"
    assert deliver(db, poll_config, "callrail", call, None).held == 1
    with db.read() as session:
        held = session.scalar(select(WebhookEvent).where(WebhookEvent.status == WebhookStatus.HELD))
        assert "no client is mapped for account COM-UNMAPPED" in held.error
    with db.write() as session:
        session.add(
            IntegrationAccount(
                client_id=client_id(db),
                provider="callrail",
                kind="call_tracking",
                label="new line",
                external_account_id="COM-UNMAPPED",
            )
        )
    assert replay(db, "tester", WebhookStatus.HELD) == 1
    result = drain(db, poll_config)  # the same config: its catalog cache predates the mapping
    assert result.processed == 1 and result.held == 0


def test_a_search_console_sync_refreshes_the_source_and_drafts_a_report_note(
    db: Database, poll_config: PollConfig
) -> None:
    body = json.loads((PAYLOADS / "search_console" / "daily_by_date.json").read_text())
    result = deliver(db, poll_config, "search_console", body, client_id(db))
    assert result.processed == 1
    (item,) = items(db)
    assert item.kind == ItemKind.REPORT_NOTE
    with db.read() as session:
        source = session.scalar(
            select(DataSource).where(DataSource.provider == "search_console", DataSource.client_id == client_id(db))
        )
        assert source.last_synced_at > utcnow() - timedelta(days=30)
        metrics = dict(session.execute(select(MetricSnapshot.metric, MetricSnapshot.value)).all())
        assert {"clicks", "impressions", "ctr", "position"} <= set(metrics)
        assert session.scalar(select(func.count()).select_from(ProviderImportBatch)) == 1
        text = session.scalar(select(Draft.client_text).where(Draft.review_item_id == item.id))
    assert "clicks" in text and "click-through rate" in text


def test_a_quote_request_becomes_a_crm_handoff_only_for_a_client_with_a_crm(
    db: Database, poll_config: PollConfig
) -> None:
    with_crm, without = client_id(db, "brightline-hvac"), client_id(db)
    deliver(db, poll_config, "web_form", form(form_type="quote"), with_crm)
    other = form(form_type="quote", phone="(312) 555-0161")
    other["fields"]["email"] = "ana@example.com"
    deliver(db, poll_config, "web_form", other, without)
    deliver(db, poll_config, "web_form", form(phone="(312) 555-0162"), with_crm)  # not a quote
    kinds = {(i.client_id, i.kind, i.workflow) for i in items(db)}
    assert (with_crm, ItemKind.CRM_HANDOFF, Workflow.CRM_HANDOFF) in kinds
    assert all(kind != ItemKind.CRM_HANDOFF for client, kind, _ in kinds if client == without)
    assert len([k for k in kinds if k[1] == ItemKind.CRM_HANDOFF]) == 1
