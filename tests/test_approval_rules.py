"""What an approval must satisfy, enforced by the service whatever the desk shows: the template's
opt-out wording, blocking flags, acknowledged high-risk flags, an escalation note. On SQLite,
PostgreSQL and MariaDB."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.demo import ensure_demo_catalog
from app.pipeline.drafting import has_opt_out_wording
from app.pipeline.poller import PollConfig, drain
from app.services.approval_rules import Acknowledgement
from app.services.errors import ActionRefused
from app.services.review import approve, bulk_approve, escalate
from db.engine import Database
from db.models import AuditEntry, Message, MessageTemplate, ReviewItem, RiskFlag, WebhookEvent
from db.queries.drafts import current_draft
from db.types import utcnow
from db.vocab import FlagCode, ItemKind, Role, Severity, WebhookStatus
from tests.helpers import actor_with


@pytest.fixture
def message(database: Database, poll_config: PollConfig) -> ReviewItem:
    """A follow-up message to a new lead, drafted from the client's approved template."""
    with database.write() as session:
        client_id = ensure_demo_catalog(session)["northside-plumbing"]
        body = {
            "form_type": "contact",
            "submission_id": "sub_rules_1",
            "submitted_at": utcnow().isoformat(),
            "fields": {
                "name": "Maria Lopez",
                "phone": "(312) 555-0142",
                "service": "Drain cleaning",
                "message": "Kitchen drain is slow.",
            },
            "consent": {"sms": True},
        }
        session.add(
            WebhookEvent(
                provider="web_form",
                client_id=client_id,
                body=json.dumps(body).encode(),
                owner="intake",
                source="web_form",
                status=WebhookStatus.NEW,
                recovery="replay",
            )
        )
    drain(database, poll_config)
    with database.read() as session:
        item = session.scalars(select(ReviewItem)).one()
    assert item.kind == ItemKind.MESSAGE
    return item


def add_flag(database: Database, item: ReviewItem, code: str, severity: Severity, evidence: str) -> None:
    with database.write() as session:
        draft = current_draft(session, item.id)
        session.add(
            RiskFlag(
                review_item_id=item.id,
                draft_id=draft.id if draft else None,
                code=code,
                severity=int(severity),
                reason="test",
                evidence=evidence,
                owner="test",
                source="rule",
                status="open",
            )
        )


def drafted_text(database: Database, item: ReviewItem) -> str:
    with database.read() as session:
        return current_draft(session, item.id).client_text


def test_an_edit_that_drops_the_opt_out_wording_is_refused_and_the_message_records_its_template(
    database: Database, message: ReviewItem
) -> None:
    riley = actor_with(database, "riley", Role.REVIEWER)
    text = drafted_text(database, message)
    assert text.endswith("Reply STOP to opt out.")
    with pytest.raises(ActionRefused, match="opt-out wording"):
        approve(database, riley, message.id, message.version, text.replace("Reply STOP to opt out.", "Thanks!"))
    reworded = text.replace("Reply STOP to opt out.", "reply  stop\nto OPT out")  # case, spaces, no full stop
    approve(database, riley, message.id, message.version, reworded)
    with database.read() as session:
        queued = session.scalars(select(Message)).one()
        template = session.get(MessageTemplate, queued.template_id)
    assert (queued.template_id, queued.template_version) == (template.id, template.version)
    assert "opt-out wording “Reply STOP to opt out.” present" in queued.compliance_note
    assert f"template #{template.id} v{template.version}" in queued.compliance_note


def test_opt_out_wording_is_matched_without_regard_to_case_spacing_or_a_final_stop() -> None:
    assert has_opt_out_wording("Hi! Reply   STOP to opt out", "Reply STOP to opt out.")
    assert has_opt_out_wording("x reply stop\tto opt out. y", "Reply STOP to opt out.")
    assert not has_opt_out_wording("Reply to opt out", "Reply STOP to opt out.")
    assert has_opt_out_wording("anything", "")


def test_a_high_risk_flag_needs_an_acknowledgement_with_a_note_which_the_audit_keeps(
    database: Database, message: ReviewItem
) -> None:
    riley = actor_with(database, "riley", Role.REVIEWER)
    add_flag(database, message, FlagCode.LEGAL_MEDICAL_COMPLIANCE, Severity.HIGH, "my lawyer")
    add_flag(database, message, FlagCode.COMPLAINT, Severity.HIGH, "never showed")
    with pytest.raises(ActionRefused, match="Acknowledge each high-risk flag"):
        approve(database, riley, message.id, message.version)
    partly = Acknowledgement(frozenset({FlagCode.COMPLAINT}), "spoke to the owner")
    with pytest.raises(ActionRefused, match="legal medical compliance"):
        approve(database, riley, message.id, message.version, acknowledged=partly)
    both = frozenset({FlagCode.COMPLAINT, FlagCode.LEGAL_MEDICAL_COMPLIANCE})
    with pytest.raises(ActionRefused, match="why it is fine"):
        approve(database, riley, message.id, message.version, acknowledged=Acknowledgement(both, " "))
    assert bulk_approve(database, riley, [(message.id, message.version)]).approved == []
    approve(
        database,
        riley,
        message.id,
        message.version,
        acknowledged=Acknowledgement(both, "The text only confirms the visit; the claim goes to the owner."),
    )
    with database.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "review_item.approved")).one()
    assert entry.detail["acknowledged_flags"] == ["complaint", "legal_medical_compliance"]
    assert entry.detail["acknowledgement"].startswith("The text only confirms")


@pytest.mark.parametrize("code", [FlagCode.MONEY_MOVEMENT, FlagCode.OPT_OUT])
def test_money_movement_and_opt_out_block_approval_even_when_acknowledged(
    database: Database, message: ReviewItem, code: FlagCode
) -> None:
    boss = actor_with(database, "sam", Role.SUPERVISOR)
    add_flag(database, message, code, Severity.HIGH, "refund my deposit" if code == FlagCode.MONEY_MOVEMENT else "")
    with pytest.raises(ActionRefused, match="cannot be approved"):
        approve(
            database, boss, message.id, message.version, acknowledged=Acknowledgement(frozenset(FlagCode), "checked")
        )
    with database.read() as session:
        assert session.scalars(select(Message)).all() == []


def test_a_street_address_or_a_phone_number_in_any_written_form_is_refused(
    database: Database, message: ReviewItem
) -> None:
    riley = actor_with(database, "riley", Role.REVIEWER)
    text = drafted_text(database, message)
    for leak in ("Call us at (303) 555 0100.", "Our tech comes to 42 Elm Street.", "Text 303.555.0100."):
        with pytest.raises(ActionRefused, match="still contains"):
            approve(database, riley, message.id, message.version, f"{leak} {text}")


def test_escalating_needs_a_note_which_the_supervisor_sees(database: Database, message: ReviewItem) -> None:
    riley = actor_with(database, "riley", Role.REVIEWER)
    with pytest.raises(ActionRefused, match="note is required"):
        escalate(database, riley, message.id, message.version, "  ")
    escalate(database, riley, message.id, message.version, "Asks for a price match.")
    with database.read() as session:
        item = session.get(ReviewItem, message.id)
    assert item.reject_note == "Asks for a price match."
