"""What a demo team sets up once the catalog is in (``app.demo``): the lifecycle's templates
(old-lead follow-up, review request), a duty roster, and leads from before the demo's
deliveries, so a first start shows tasks going to named people, escalations, old-lead
follow-ups and a review request. Apart from the catalog: the tests that write demo deliveries
build their own rosters, some on a schema older than these tables."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.demo import DEMO_USERS, ensure_demo_catalog, ensure_template
from app.demo_history import write_weeks_of_history
from app.item_assignment import assign_new_items
from db.engine import Database
from db.models import AuditEntry, ClientOwner, DutyShift, Lead, ReviewItem, User
from db.types import utcnow

DEMO_SHIFT_HOURS = 12
DEMO_ALERT_PHONES = {DEMO_USERS[0][0]: "+12025550101", DEMO_USERS[1][0]: "+12025550102"}

# The lifecycle's own messages, which a team sets up once its catalog is in: (workflow, channel,
# body, opt-out text, compliance text). A review request offers nothing and asks for no rating.
DEMO_LIFECYCLE_TEMPLATES = (
    (
        "old_lead_follow_up",
        "sms",
        "Hi {first_name}, it's {client_name}. You asked us about {service} a while ago: is it still"
        " something we can help with?",
        "Reply STOP to opt out.",
        "",
    ),
    (
        "old_lead_follow_up",
        "email",
        "Hi {first_name}, {client_name} here. You asked us about {service} a while ago; if it is"
        " still on your list, reply and we'll find a time that suits you.",
        "To stop these emails, reply UNSUBSCRIBE.",
        "",
    ),
    (
        "review_request",
        "sms",
        "Hi {first_name}, thank you for choosing {client_name}. Would you share how it went in a review?",
        "Reply STOP to opt out.",
        "Every honest review is welcome, good or bad.",
    ),
    (
        "review_request",
        "email",
        "Hi {first_name}, thank you for choosing {client_name}. If you have a moment, a review of"
        " how it went would help others decide.",
        "To stop these emails, reply UNSUBSCRIBE.",
        "Every honest review is welcome, good or bad.",
    ),
)


def ensure_demo_operations(session: Session) -> None:
    """What a team sets up once its catalog is in: the lifecycle's templates (old-lead
    follow-up, review request) and the roster. Apart from the catalog: the tests that write
    demo deliveries build their own rosters, some on a schema older than these tables."""
    client_ids = ensure_demo_catalog(session)
    for workflow, channel, body, opt_out, compliance in DEMO_LIFECYCLE_TEMPLATES:
        ensure_template(session, workflow, channel, body, opt_out, compliance_text=compliance)
    _demo_roster(session, client_ids)


# Leads from before the demo's deliveries, so the cycle's own messages show on a first start:
# (name, phone, days since it last heard from the lead, stage). Contacted leads quiet past the
# 30-day cadence get an old-lead follow-up; a lead won three days ago, its review request.
DEMO_HISTORY = (
    ("Helen Brooks", "+13125550171", 45, "contacted"),
    ("Omar Haddad", "+13125550172", 62, "quoted"),
    ("Lucy Chen", "+13125550173", 38, "contacted"),
    ("Peter Novak", "+13125550174", 3, "won"),
)


def write_demo_history(session: Session) -> int:
    """The leads of ``DEMO_HISTORY`` and the weeks of history the Reports view judges
    (``app.demo_history``), once; returns how many leads of ``DEMO_HISTORY`` were written."""
    write_weeks_of_history(session)
    if session.scalar(select(func.count()).select_from(Lead).where(Lead.phone == DEMO_HISTORY[0][1])):
        return 0
    client_ids = list(ensure_demo_catalog(session).values())
    now = utcnow()
    for number, (name, phone, days, stage) in enumerate(DEMO_HISTORY):
        client_id = client_ids[number % len(client_ids)]
        at = now - timedelta(days=days)
        lead = Lead(
            client_id=client_id,
            name=name,
            phone=phone,
            service="",
            stage=stage,
            first_seen_at=at - timedelta(days=2),
            last_event_at=at,
            first_response_at=at - timedelta(days=2, minutes=-12),
            source="web_form",
            status="new",
            owner="demo",
        )
        session.add(lead)
        session.flush()
        if stage == "won":  # as a person's move to won records it
            session.add(
                AuditEntry(
                    at=at,
                    actor=DEMO_USERS[0][0],
                    source="desk",
                    action="lead.stage_changed",
                    outcome="ok",
                    entity="lead",
                    entity_id=lead.id,
                    lead_id=lead.id,
                    client_id=client_id,
                    detail={"from": "booked", "to": "won"},
                )
            )
    session.flush()
    return len(DEMO_HISTORY)


def _demo_roster(session: Session, client_ids: dict[str, int]) -> None:
    """The demo's people on duty for a shift from now, the first client owned by the demo
        reviewer, and the demo supervisor the escalation contact of every client, so a missed
        call's task goes to a named person and is escalated when it passes due; each has an alert
    phone (fictional 555-01xx numbers) so the internal owner alerts show in the send queue."""
    users = {u.login: u.id for u in session.scalars(select(User).where(User.login.in_([d[0] for d in DEMO_USERS])))}
    if session.scalar(select(func.count()).select_from(DutyShift).where(DutyShift.user_id.in_(users.values()))):
        return
    for login, user_id in users.items():
        put_on_duty(session, user_id)
        if login in DEMO_ALERT_PHONES:  # their owner alerts go out by SMS while no desk is open
            session.execute(
                update(User).where(User.id == user_id).values(phone=DEMO_ALERT_PHONES[login], alert_channel="sms")
            )
    for number, client_id in enumerate(client_ids.values()):
        if session.get(ClientOwner, client_id) is None:
            owner = users.get(DEMO_USERS[0][0]) if number == 0 else None
            session.add(
                ClientOwner(client_id=client_id, owner_id=owner, escalation_contact_id=users.get(DEMO_USERS[1][0]))
            )
    session.flush()


def join_demo_roster(database: Database, user_id: int) -> None:
    """Whoever opens a desk on fresh demo data is on duty too, and owns a demo client that has
    no owner yet: that client's urgent leads are in their My tasks, and its review items
    (those waiting and those to come) in their Mine."""
    now = utcnow()
    with database.write() as session:
        unowned = session.scalar(
            select(ClientOwner).where(ClientOwner.owner_id.is_(None)).order_by(ClientOwner.client_id).limit(1)
        )
        on = session.scalar(
            select(func.count())
            .select_from(DutyShift)
            .where(DutyShift.user_id == user_id, DutyShift.starts_at <= now, DutyShift.ends_at > now)
        )
        if not on:
            put_on_duty(session, user_id)
        if unowned is not None:  # its review items are theirs too: the queue's Mine
            unowned.owner_id, unowned.assign_items = user_id, True
            session.flush()
            waiting = session.execute(
                select(ReviewItem.id, ReviewItem.client_id, ReviewItem.lead_id).where(
                    ReviewItem.client_id == unowned.client_id, ReviewItem.is_open == 1, ReviewItem.assignee_id.is_(None)
                )
            ).all()
            assign_new_items(session, [tuple(row) for row in waiting], actor="demo", source="demo", now=now)


def put_on_duty(session: Session, user_id: int, hours: int = DEMO_SHIFT_HOURS) -> None:
    """A shift from now for ``hours`` (the demo's people, and whoever opens the demo desk)."""
    now = utcnow()
    session.add(DutyShift(user_id=user_id, starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(hours=hours)))
