"""Consent belongs to the contact: a STOP holds for every lead of that client with that phone or
email, of any age, until an explicit opt-in; it is checked when drafting, approving and
releasing. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from app.pipeline.poller import PollConfig, drain
from app.services.consent import set_contact_consent
from app.services.errors import ActionRefused
from app.services.outbound import release_due
from app.services.review import approve, bulk_approve
from db.engine import Database
from db.migrate import upgrade
from db.models import ContactConsent, Lead, Message, ReviewItem, RiskFlag
from db.types import utcnow
from db.vocab import ItemKind, ItemStatus, Role
from tests.databases import fresh_database
from tests.deliveries import PHONE, TWILIO_NUMBER, add_delivery, northside, with_twilio_number
from tests.helpers import actor_with

_serial = iter(range(1, 10**6))


@pytest.fixture
def desk(database: Database) -> Database:
    with_twilio_number(database)
    return database


def deliver(
    db: Database, config: PollConfig, provider: str, body: dict[str, Any] | str, client: int | None, at: datetime
) -> None:
    add_delivery(db, provider, body, client, at)
    result = drain(db, config)
    assert result.quarantined == 0


def sms(keyword: str) -> str:
    return f"MessageSid=SM{next(_serial)}&AccountSid=AC1&From=%2B13125550142&To=%2B13125550199&Body={keyword}"


def web_form(at: datetime, phone: str = "(312) 555-0142", email: str = "maria@example.com") -> dict[str, Any]:
    return {
        "form_type": "contact",
        "submission_id": f"sub_consent_{next(_serial)}",
        "submitted_at": at.isoformat(),
        "fields": {
            "name": "Maria Lopez",
            "phone": phone,
            "email": email,
            "service": "Drain cleaning",
            "message": "Kitchen drain is slow.",
        },
        "consent": {"sms": True},
    }


def missed_call(at: datetime) -> dict[str, Any]:
    return {
        "resource_id": f"CALconsent{next(_serial)}",
        "answered": False,
        "call_type": "missed",
        "customer_phone_number": PHONE,
        "customer_name": "MARIA LOPEZ",
        "start_time": at.isoformat(),
        "first_call": False,
        "tracking_phone_number": TWILIO_NUMBER,
        "company_id": "COM000001",
    }


def newest_item(db: Database) -> ReviewItem:
    with db.read() as session:
        return session.scalars(select(ReviewItem).order_by(ReviewItem.id.desc()).limit(1)).one()


def flag_codes(db: Database, item_id: int) -> set[str]:
    with db.read() as session:
        return set(session.scalars(select(RiskFlag.code).where(RiskFlag.review_item_id == item_id)))


def test_a_stop_older_than_every_window_still_holds_for_a_new_lead_until_an_opt_in(
    desk: Database, poll_config: PollConfig
) -> None:
    now = utcnow()
    deliver(desk, poll_config, "twilio", sms("STOP"), None, now - timedelta(days=400))
    deliver(desk, poll_config, "callrail", missed_call(now - timedelta(days=40)), None, now - timedelta(days=40))
    call_item = newest_item(desk)
    assert call_item.kind != ItemKind.MESSAGE, "no text-back to a number that said STOP"
    assert "opt_out" in flag_codes(desk, call_item.id)
    deliver(desk, poll_config, "web_form", web_form(now), northside(desk), now)
    form_item = newest_item(desk)
    assert form_item.kind == ItemKind.PORTAL_NOTE and "opt_out" in flag_codes(desk, form_item.id)
    with desk.read() as session:
        assert all(lead.opted_out for lead in session.scalars(select(Lead)))
        consents = session.execute(select(ContactConsent.status, ContactConsent.method, ContactConsent.evidence)).all()
    assert consents == [("opted_out", "sms_keyword", "sms keyword STOP")]

    deliver(desk, poll_config, "twilio", sms("UNSTOP"), None, now + timedelta(minutes=1))
    with desk.read() as session:
        assert not any(lead.opted_out for lead in session.scalars(select(Lead)))
    later = now + timedelta(minutes=2)
    deliver(desk, poll_config, "web_form", web_form(later, phone="312-555-0142"), northside(desk), later)
    assert newest_item(desk).kind == ItemKind.MESSAGE, "after the opt-in, messages may be drafted again"


def test_a_stop_reaches_every_lead_of_the_contact_and_no_path_queues_a_message(
    desk: Database, poll_config: PollConfig
) -> None:
    now = utcnow()
    boss = actor_with(desk, "sam", Role.SUPERVISOR)
    deliver(
        desk, poll_config, "web_form", web_form(now - timedelta(days=90)), northside(desk), now - timedelta(days=90)
    )
    old_message = newest_item(desk)
    deliver(desk, poll_config, "web_form", web_form(now), northside(desk), now)
    waiting = newest_item(desk)  # a second lead: the first is past the duplicate window
    assert old_message.kind == waiting.kind == ItemKind.MESSAGE
    approve(desk, boss, waiting.id, waiting.version, undo_window=timedelta(hours=1))  # inside its undo window

    deliver(desk, poll_config, "twilio", sms("stop"), None, now + timedelta(seconds=5))
    with desk.read() as session:
        old = session.get(ReviewItem, old_message.id)
    assert "opt_out" in flag_codes(desk, old.id) and old.version == old_message.version + 1
    with pytest.raises(ActionRefused, match="opted out"):
        approve(desk, boss, old.id, old.version)
    assert bulk_approve(desk, boss, [(old.id, old.version)]).approved == []
    with desk.write() as session:  # the undo window has passed
        session.get(ReviewItem, waiting.id).release_at = utcnow() - timedelta(seconds=1)
    release_due(desk)
    with desk.read() as session:
        released = session.get(ReviewItem, waiting.id)
        assert released.status == ItemStatus.FAILED and "opted out" in (released.hold_reason or "")
        assert session.scalars(select(Message)).all() == []


def test_a_do_not_contact_entry_is_for_supervisors_and_covers_email_too(
    desk: Database, poll_config: PollConfig
) -> None:
    now = utcnow()
    deliver(desk, poll_config, "web_form", web_form(now, phone="", email="Maria@Example.com"), northside(desk), now)
    item = newest_item(desk)
    reviewer = actor_with(desk, "riley", Role.REVIEWER)
    with pytest.raises(ActionRefused, match="supervisors"):
        set_contact_consent(desk, reviewer, "Northside Plumbing", "", "maria@example.com", True, "client asked")
    boss = actor_with(desk, "sam", Role.SUPERVISOR)
    with pytest.raises(ActionRefused, match="note is required"):
        set_contact_consent(desk, boss, "Northside Plumbing", "", "maria@example.com", True, " ")
    assert (
        set_contact_consent(
            desk, boss, "Northside Plumbing", "", "MARIA@example.com ", True, "the client's do-not-contact list, 2 Dec"
        )
        == 1
    )
    with pytest.raises(ActionRefused, match="opted out"):
        approve(desk, boss, item.id, item.version + 1)
    assert (
        set_contact_consent(
            desk, boss, "Northside Plumbing", "", "maria@example.com", False, "she called to ask for the follow-up"
        )
        == 1
    )
    with desk.read() as session:
        assert not session.scalar(select(Lead.opted_out))
        methods = list(session.scalars(select(ContactConsent.method).order_by(ContactConsent.id)))
    assert methods == ["do_not_contact", "opt_in"]


def test_the_migration_fills_consents_from_the_leads_opted_out_before(backend: str, tmp_path: Any) -> None:
    with fresh_database(backend, str(tmp_path)) as url:
        db = Database(url)
        try:
            upgrade(db.engine, "0006")
            with db.write() as session:  # in SQL: the models are the newest schema's, not 0006's
                when = utcnow() - timedelta(days=300)
                columns = "slug, name, timezone, active, created_at"
                session.execute(
                    text(f"INSERT INTO clients ({columns}) VALUES ('ns', 'NS', 'UTC', :a, :w)"), {"a": True, "w": when}
                )
                client_id = session.execute(text("SELECT id FROM clients WHERE slug = 'ns'")).scalar_one()
                for phone, email, out in ((PHONE, "Maria@Example.com", True), ("+13125550150", None, False)):
                    session.execute(
                        text(
                            "INSERT INTO leads (client_id, name, phone, email, service, urgency, consent, "
                            "attribution, opted_out, opted_out_at, first_seen_at, last_event_at, next_action, "
                            "created_at, updated_at, "
                            "owner, source, status, recovery) VALUES (:c, 'x', :p, :e, '', 'normal', 'denied', "
                            "'{}', :o, :w, :w, :w, '', :w, :w, 'test', 'test', 'new', '')"
                        ),
                        {"c": client_id, "p": phone, "e": email, "o": out, "w": when},
                    )
            upgrade(db.engine)
            with db.read() as session:
                rows = session.execute(
                    select(
                        ContactConsent.contact_kind,
                        ContactConsent.contact,
                        ContactConsent.status,
                        ContactConsent.method,
                    ).order_by(ContactConsent.contact_kind)
                ).all()
            assert rows == [
                ("email", "maria@example.com", "opted_out", "from_lead"),
                ("phone", PHONE, "opted_out", "from_lead"),
            ]
        finally:
            db.dispose()


def test_a_providers_opt_out_flag_is_an_opt_out_of_the_contact(desk: Database, poll_config: PollConfig) -> None:
    now = utcnow()
    flagged = web_form(now - timedelta(days=60))
    flagged["consent"] = {"sms": False, "do_not_contact": True}
    deliver(desk, poll_config, "web_form", flagged, northside(desk), now - timedelta(days=60))
    assert newest_item(desk).kind != ItemKind.MESSAGE
    deliver(desk, poll_config, "web_form", web_form(now), northside(desk), now)  # consents to SMS this time
    assert newest_item(desk).kind == ItemKind.PORTAL_NOTE, "a consent box does not undo an opt-out"
    with desk.read() as session:
        assert session.scalars(select(ContactConsent.method)).all() == ["provider_flag"] * 2  # phone and email


def test_a_later_delivery_fills_what_the_lead_lacked_without_overwriting(
    desk: Database, poll_config: PollConfig
) -> None:
    now = utcnow()
    call = missed_call(now - timedelta(hours=2))
    call["customer_name"] = ""
    deliver(desk, poll_config, "callrail", call, None, now - timedelta(hours=2))
    deliver(
        desk, poll_config, "web_form", web_form(now - timedelta(hours=1)), northside(desk), now - timedelta(hours=1)
    )
    later = web_form(now, email="someone.else@example.com")
    later["fields"]["name"] = "M. Lopez"
    deliver(desk, poll_config, "web_form", later, northside(desk), now)
    with desk.read() as session:
        (lead,) = session.scalars(select(Lead)).all()
    assert (lead.name, lead.phone, lead.email) == ("Maria Lopez", PHONE, "maria@example.com")
