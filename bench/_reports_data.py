"""The Reports benchmark's database: eight weeks of a busy agency on SQLite.

1,000,000 review items over 200,000 leads from six sources for six clients, decided by twenty
reviewers and three supervisors, drafted offline and by two models under two prompt versions,
with what the desk writes beside them: drafts, the audit trail (~2M rows), summary and
message events, messages, CRM handoffs, owner tasks, raw deliveries (some quarantined), data
sources (some stale), metric snapshots and a few resumed pauses.

Python draws each item's and each lead's fate once (a seeded ``random.Random``) into two
temporary plan tables; every real table is then filled from them by ``INSERT ... SELECT``,
with the secondary indexes dropped during the fill and created again afterwards (the same
``CREATE INDEX`` text the migrations wrote), which is what makes a million rows take seconds.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from app.demo import ensure_demo_catalog
from app.identity import ensure_user
from db.engine import Database
from db.migrate import upgrade
from db.models import Client, DataSource, User
from db.vocab import Role

DAYS = 56
# (provider, share of leads in percent, share of its deliveries quarantined in per mille)
SOURCES = (
    ("web_form", 34, 4),
    ("callrail", 26, 2),
    ("thumbtack", 14, 35),
    ("angi", 10, 18),
    ("google_lsa", 10, 6),
    ("chat", 6, 3),
)
# (kind, workflow, share of items in percent)
LANES = (
    ("message", "new_lead_follow_up", 30),
    ("message", "missed_call_textback", 15),
    ("message", "quote_follow_up", 10),
    ("message", "old_lead_follow_up", 7),
    ("message", "review_request", 5),
    ("crm_handoff", "crm_handoff", 18),
    ("portal_note", "client_report_note", 15),
)
EXTRA_CLIENTS = (
    ("lakeside-electric", "Lakeside Electric"),
    ("summit-pest", "Summit Pest Control"),
    ("oak-dental", "Oak Family Dental"),
)
REVIEWERS = 20
SUPERVISORS = 2  # besides the demo supervisor
REJECT_REASONS = ("inaccurate", "not_client_safe", "tone", "duplicate", "spam", "wrong_client", "other")
STAGES = (("new", 25), ("contacted", 30), ("qualified", 20), ("won", 12), ("lost", 13))
OPEN_HOURS = 3  # items that arrived in the last hours before the anchor are still in the queue
UNDO_S = 30


def ts(offset: str) -> str:
    """SQL for the plan's ``:start`` plus ``offset`` seconds, written as SQLAlchemy writes it."""
    return f"strftime('%Y-%m-%d %H:%M:%f000', :start, '+' || ({offset}) || ' seconds')"


def _pick(rng: random.Random, table: tuple[tuple[object, ...], ...], weight: int = 1) -> tuple[object, ...]:
    return rng.choices(table, weights=[row[weight] for row in table])[0]  # type: ignore[misc]


def lead_plan(rng: random.Random, leads: int, clients: list[int]) -> list[tuple[object, ...]]:
    """(id, offset_s, client, provider, response_s | None, stage, duplicate_of, urgency)."""
    span = DAYS * 86400
    rows = []
    for j in range(1, leads + 1):
        provider = _pick(rng, SOURCES)[0]
        roll = rng.random()
        response = (
            None
            if roll < 0.08
            else rng.randint(60, 300)
            if roll < 0.45
            else rng.randint(300, 900)
            if roll < 0.72
            else rng.randint(900, 3600)
            if roll < 0.92
            else rng.randint(3600, 36000)
        )
        urgency = rng.choices(("normal", "high", "emergency", "low"), (78, 10, 5, 7))[0]
        duplicate = j - 1 if j > 1 and rng.random() < 0.03 else None
        rows.append(
            (
                j,
                (j - 1) * span // leads,
                rng.choice(clients),
                provider,
                response,
                _pick(rng, STAGES)[0],
                duplicate,
                urgency,
            )
        )
    return rows


def item_plan(
    rng: random.Random, items: int, leads: list[tuple[object, ...]], reviewers: list[int], supervisors: list[int]
) -> list[tuple[object, ...]]:
    """One row per review item: (id, offset_s, lead, client, provider, kind, workflow, priority,
    sla_s, decision, turnaround_s, decider, escalator, drafter_model, prompt_version, release),
    decision one of open / escalated_open / approved / light_edit / rewrite / rejected, release
    one of '' / queued / blocked / held / quiet / pushed / failed / published."""
    span = DAYS * 86400
    rows = []
    for i in range(1, items + 1):
        offset = (i - 1) * span // items + 30
        lead = leads[(i - 1) * len(leads) // items]
        kind, workflow, _ = _pick(rng, LANES, 2)
        priority = rng.randint(1, 4)
        model, prompt = None, None
        if rng.random() < 0.2:  # an AI draft replaced the offline one
            model, prompt = (
                ("gpt-4o-mini", "v3")
                if offset < span // 2
                else rng.choice((("gpt-4o-mini", "v4"), ("claude-3-5-haiku", "v4")))
            )
        if offset > span - OPEN_HOURS * 3600 or rng.random() < 0.002:
            decision = "escalated_open" if rng.random() < 0.1 else "open"
        else:
            # The newer prompt needs fewer rewrites: what the prompt-version table should show.
            rewrite = 0.08 if prompt == "v4" else 0.16 if prompt == "v3" else 0.12
            decision = rng.choices(("approved", "light_edit", "rewrite", "rejected"), (0.56, 0.26, rewrite, 0.08))[0]
        roll = rng.random()
        turnaround = (
            rng.randint(120, 600)
            if roll < 0.5
            else rng.randint(600, 1800)
            if roll < 0.8
            else rng.randint(1800, 7200)
            if roll < 0.95
            else rng.randint(7200, 36000)
        )
        escalated = decision == "escalated_open" or (decision != "open" and rng.random() < 0.04)
        escalator = rng.choice(reviewers) if escalated else None
        decider = (
            None if decision in ("open", "escalated_open") else rng.choice(supervisors if escalated else reviewers)
        )
        release = ""
        if decision in ("approved", "light_edit", "rewrite"):
            if kind == "message":
                release = rng.choices(("queued", "blocked", "held", "quiet"), (95.5, 1.5, 1.5, 1.5))[0]
            elif kind == "crm_handoff":
                release = "pushed" if rng.random() < 0.95 else "failed"
            else:
                release = "published"
        rows.append(
            (
                i,
                offset,
                lead[0],
                lead[2],
                lead[3],
                kind,
                workflow,
                priority,
                15 * 60 * priority,
                decision,
                turnaround,
                decider,
                escalator,
                model,
                prompt,
                release,
            )
        )
    return rows


PLAN_DDL = (
    """CREATE TEMP TABLE lead_plan (id INTEGER PRIMARY KEY, t INTEGER, client INTEGER, provider TEXT,
    response INTEGER, stage TEXT, duplicate_of INTEGER, urgency TEXT)""",
    """CREATE TEMP TABLE item_plan (id INTEGER PRIMARY KEY, t INTEGER, lead INTEGER, client INTEGER,
    provider TEXT, kind TEXT, workflow TEXT, priority INTEGER, sla INTEGER, decision TEXT, turn INTEGER,
    decider INTEGER, escalator INTEGER, model TEXT, prompt TEXT, release TEXT,
    decided INTEGER GENERATED ALWAYS AS (CASE WHEN decision IN ('open', 'escalated_open') THEN NULL ELSE t + turn END),
    released INTEGER GENERATED ALWAYS AS (t + turn + CASE release WHEN 'held' THEN 7200 WHEN 'quiet' THEN 21600
      ELSE 30 END))""",
)
DECIDED_STATUS = """CASE p.decision WHEN 'open' THEN 'pending' WHEN 'escalated_open' THEN 'escalated'
  WHEN 'rejected' THEN 'rejected' ELSE CASE p.release WHEN 'queued' THEN 'queued' WHEN 'held' THEN 'queued'
  WHEN 'quiet' THEN 'queued' WHEN 'blocked' THEN 'failed' WHEN 'pushed' THEN 'pushed' WHEN 'failed' THEN 'failed'
  ELSE 'published' END END"""
EDIT_CLASS = (
    "CASE p.decision WHEN 'approved' THEN 'unchanged' WHEN 'light_edit' THEN 'light_edit' "
    "WHEN 'rewrite' THEN 'rewrite' END"
)
QUALIFIED_AT = "t + coalesce(response, 600) + 1800"
QUARANTINED_PER_MILLE = " ".join(f"WHEN '{p}' THEN {q}" for p, _, q in SOURCES)
APPROVED = "p.decision IN ('approved', 'light_edit', 'rewrite')"
FILL = (
    f"""INSERT INTO webhook_events (id, provider, client_id, received_at, content_type, headers, body, attempts,
      processed_at, event_count, error, created_at, updated_at, owner, source, status, recovery)
    SELECT id, provider, client, {ts("t")}, 'application/json', '{{}}', CAST('{{"lead": ' || id || '}}' AS BLOB), 1,
      {ts("t + 2")}, 1, NULL, {ts("t")}, {ts("t + 2")}, 'pipeline', provider, 'processed', 'replay from webhook_events'
    FROM lead_plan""",
    f"""INSERT INTO leads (id, client_id, name, phone, email, service, urgency, consent, attribution, opted_out,
      duplicate_of_id, first_seen_at, last_event_at, first_response_at, outcome, lost_reason, next_action, stage,
      won_at, created_at, updated_at, owner, source, status, recovery)
    SELECT id, client, 'Lead ' || id, '+1512' || printf('%07d', id), NULL, 'Drain cleaning', urgency, 'granted', '{{}}',
      0, duplicate_of, {ts("t")}, {ts("t")}, CASE WHEN response IS NOT NULL THEN {ts("t + response")} END,
      CASE stage WHEN 'won' THEN 'booked' WHEN 'lost' THEN 'lost' END,
      CASE stage WHEN 'lost' THEN 'price' END, '', stage, CASE stage WHEN 'won' THEN {ts("t + 3 * 86400")} END,
      {ts("t")}, {ts("t")}, 'pipeline', provider,
      CASE WHEN stage IN ('qualified', 'won') THEN 'qualified' ELSE 'new' END, ''
    FROM lead_plan""",
    f"""INSERT INTO events (id, type, idempotency_key, webhook_event_id, client_id, lead_id, provider, occurred_at,
      created_at, data)
    SELECT id, 'lead.created', 'lead.created:' || provider || ':' || id, id, client, id, provider, {ts("t")},
      {ts("t + 2")}, '{{}}' FROM lead_plan""",
    # A later call or quote request on one lead in three.
    f"""INSERT INTO events (type, idempotency_key, client_id, lead_id, provider, occurred_at, created_at, data)
    SELECT CASE WHEN provider = 'callrail' THEN 'call.missed' ELSE 'quote.requested' END, 'later:' || id, client, id,
      provider, {ts("t + 3600 + id % 7200")}, {ts("t + 3600 + id % 7200")}, '{{}}' FROM lead_plan WHERE id % 3 = 0""",
    # Qualified leads (a rule, a person, or an approved CRM handoff: app.lead_events.qualify_lead).
    f"""INSERT INTO events (type, idempotency_key, client_id, lead_id, provider, occurred_at, created_at, data)
    SELECT 'lead.qualified', 'lead.qualified:lead:' || id, client, id, 'desk', {ts(QUALIFIED_AT)}, {ts(QUALIFIED_AT)},
      json_object('qualified_by', 'bench', 'score', 100)
    FROM lead_plan WHERE stage IN ('qualified', 'won')""",
    f"""INSERT INTO review_items (id, kind, client_id, lead_id, event_id, workflow, provider, priority, arrived_at,
      sla_due_at, lead_label, top_severity, flag_codes, version, final_text, edit_class, decided_by_id, decided_at,
      reject_reason, reject_note, hold_reason, release_at, created_at, updated_at, owner, source, status, recovery)
    SELECT p.id, p.kind, p.client, p.lead, p.lead, p.workflow, p.provider, p.priority, {ts("p.t")},
      {ts("p.t + p.sla")}, 'Lead ' || p.lead, CASE WHEN p.id % 11 = 0 THEN 3 WHEN p.id % 5 = 0 THEN 2 ELSE 0 END,
      CASE WHEN p.id % 11 = 0 THEN 'legal_medical_compliance' WHEN p.id % 5 = 0 THEN 'pricing_promise' ELSE '' END,
      CASE WHEN p.model IS NULL THEN 2 ELSE 3 END,
      CASE WHEN {APPROVED} THEN 'Thanks for reaching out. We will call you within the hour.' END, {EDIT_CLASS},
      p.decider, CASE WHEN p.decided IS NOT NULL THEN {ts("p.decided")} END,
      CASE WHEN p.decision = 'rejected' THEN
        (CASE p.id % 7 WHEN 0 THEN 'inaccurate' WHEN 1 THEN 'not_client_safe' WHEN 2 THEN 'tone' WHEN 3 THEN 'duplicate'
         WHEN 4 THEN 'spam' WHEN 5 THEN 'wrong_client' ELSE 'other' END) END,
      CASE WHEN p.decision = 'rejected' THEN 'not what the lead asked'
        WHEN p.escalator IS NOT NULL THEN 'check the price' END,
      CASE WHEN p.release = 'blocked' THEN 'not sent: the contact opted out' END,
      CASE WHEN {APPROVED} THEN {ts("p.released")} END, {ts("p.t")}, {ts("coalesce(p.released, p.decided, p.t)")},
      coalesce((SELECT login FROM users WHERE id = p.decider), 'pipeline'), 'pipeline', {DECIDED_STATUS}, ''
    FROM item_plan p""",
    f"""INSERT INTO drafts (id, review_item_id, version_no, drafter, internal_summary, client_text, next_action,
      confidence, input_hash, created_at, updated_at, owner, source, status, recovery)
    SELECT id, id, 1, 'offline-rules', 'The lead asked about drain cleaning.',
      'A new inquiry about drain cleaning arrived. The team will follow up within the hour.', 'Contact the lead.',
      0.6, '', {ts("t")}, {ts("t")}, 'pipeline', 'offline-rules',
      CASE WHEN model IS NULL THEN 'current' ELSE 'superseded' END, ''
    FROM item_plan""",
    f"""INSERT INTO drafts (review_item_id, version_no, drafter, internal_summary, client_text, next_action,
      confidence, model, prompt_version, latency_ms, tokens_in, tokens_out, input_hash, created_at, updated_at, owner,
      source, status, recovery)
    SELECT id, 2, 'ai', 'The lead asked about a drain that backs up; wants a visit this week.',
      'Thanks for your message about the drain. We can come by this week; reply with a time that suits you.',
      'Offer a visit.', 0.85, model, prompt, 800 + id % 2000, 900 + id % 300, 60 + id % 40, '', {ts("t + 20")},
      {ts("t + 20")}, 'drafter', 'ai', 'current', ''
    FROM item_plan WHERE model IS NOT NULL""",
    # The summary event of every draft (app.lead_events.add_summary).
    f"""INSERT INTO events (type, idempotency_key, client_id, lead_id, provider, occurred_at, created_at, data)
    SELECT 'summary.created', 'summary.created:draft:' || d.id, p.client, p.lead, 'desk',
      {ts("p.t + 20 * (d.version_no - 1)")}, {ts("p.t + 20 * (d.version_no - 1)")},
      json_object('review_item_id', p.id, 'draft_version', d.version_no)
    FROM drafts d JOIN item_plan p ON p.id = d.review_item_id""",
    f"""INSERT INTO messages (review_item_id, lead_id, client_id, idempotency_key, channel, recipient, body,
      compliance_note, queued_at, sent_at, error, created_at, updated_at, owner, source, status, recovery)
    SELECT p.id, p.lead, p.client, 'review_item:' || p.id, 'sms', '+1512' || printf('%07d', p.lead),
      'Thanks for reaching out. We will call you within the hour. Reply STOP to opt out.', 'verified at approval',
      {ts("p.released")}, CASE WHEN p.id % 33 THEN {ts("p.released + 5")} END,
      CASE WHEN p.id % 33 = 0 THEN 'carrier rejected' END, {ts("p.released")}, {ts("p.released + 5")}, 'desk',
      'review_desk', CASE WHEN p.id % 33 THEN 'sent' ELSE 'failed' END, 'cancel from the desk'
    FROM item_plan p WHERE p.release IN ('queued', 'held', 'quiet')""",
    """INSERT INTO events (type, idempotency_key, client_id, lead_id, provider, occurred_at, created_at, data)
    SELECT 'message.queued', 'message.queued:message:' || m.id, m.client_id, m.lead_id, 'desk', m.queued_at,
      m.queued_at, json_object('message_id', m.id, 'review_item_id', m.review_item_id) FROM messages m""",
    f"""INSERT INTO crm_handoffs (review_item_id, lead_id, client_id, adapter, idempotency_key, payload, attempts,
      next_attempt_at, last_error, external_id, pushed_at, retry_from, created_at, updated_at, owner, source, status,
      recovery)
    SELECT p.id, p.lead, p.client, 'hubspot', 'review_item:' || p.id, '{{}}', CASE p.release WHEN 'pushed' THEN
      1 + (p.id % 10 = 0) ELSE 6 END, {ts("p.released")},
      CASE p.release WHEN 'failed' THEN 'HTTP 422: invalid email' END,
      CASE p.release WHEN 'pushed' THEN 'deal-' || p.id END,
      CASE p.release WHEN 'pushed' THEN {ts("p.released + 1 + p.id % 40 + (p.id % 10 = 0) * 600")} END,
      {ts("p.released")}, {ts("p.released")}, {ts("p.released + 60")}, 'desk', 'review_desk', p.release,
      'retry from the desk'
    FROM item_plan p WHERE p.release IN ('pushed', 'failed')""",
    f"""INSERT INTO owner_tasks (client_id, lead_id, event_id, assignee_id, title, reason, priority, due_at, done_at,
      attempts, assigned_reason, assigned_at, escalated_at, created_at, updated_at, owner, source, status, recovery)
    SELECT l.client, l.id, l.id, :first_reviewer + l.id % {REVIEWERS}, 'Call the lead now', 'urgent lead',
      CASE l.urgency WHEN 'emergency' THEN 1 ELSE 2 END, {ts("l.t + 900 * (1 + (l.urgency = 'high') * 3)")},
      CASE WHEN l.t < :open_after THEN {ts("l.t + 300 + (l.id * 7919) % 5400")} END, 1, 'client owner on duty',
      {ts("l.t")}, CASE WHEN 300 + (l.id * 7919) % 5400 > 900 * (1 + (l.urgency = 'high') * 3)
        THEN {ts("l.t + 900 * (1 + (l.urgency = 'high') * 3)")} END,
      {ts("l.t")}, {ts("l.t")}, 'routing', 'routing', CASE WHEN l.t < :open_after THEN 'done' ELSE 'open' END,
      'a supervisor can reassign it'
    FROM lead_plan l WHERE l.urgency IN ('high', 'emergency')""",
    # Raw deliveries that never became events: quarantined, per provider at its own rate.
    f"""INSERT INTO webhook_events (provider, client_id, received_at, content_type, headers, body, attempts,
      processed_at, event_count, error, created_at, updated_at, owner, source, status, recovery)
    SELECT provider, client, {ts("t + 17")}, 'application/json', '{{}}', CAST('{{"broken": ' AS BLOB), 1,
      {ts("t + 19")},
      0, 'invalid JSON: unexpected end of data', {ts("t + 17")}, {ts("t + 19")}, 'pipeline', provider, 'quarantined',
      'fix the mapping, then replay'
    FROM lead_plan WHERE (id * 2654435761) % 1000 < CASE provider {QUARANTINED_PER_MILLE} END""",
)
# The audit trail the services write for the same history (app.services.drafts, review, outbound).
AUDIT = (
    f"""SELECT {ts("p.t + 20")}, 'drafter', 'pipeline', 'draft.written', 'ok', 'earlier versions are kept', 'draft',
      d.id, p.id, p.lead, p.client, json_object('version', 2, 'drafter', 'ai', 'model', p.model)
    FROM item_plan p JOIN drafts d ON d.review_item_id = p.id AND d.version_no = 2""",
    f"""SELECT {ts("p.t + p.turn / 2")}, u.login, 'desk', 'review_item.escalated', 'ok', 'undo from the desk',
      'review_item', p.id, p.id, p.lead, p.client, json_object('note', 'check the price', 'version', 3)
    FROM item_plan p JOIN users u ON u.id = p.escalator""",
    # An approval refused because the contact opted out (app.services.refusals), then rejected.
    f"""SELECT {ts("p.decided - 60")}, u.login, 'desk', 'review_item.approve', 'refused', '', 'review_item', p.id, p.id,
      NULL, NULL, json_object('reason', 'The contact opted out of messages.', 'role', 'reviewer')
    FROM item_plan p JOIN users u ON u.id = p.decider
    WHERE p.decision = 'rejected' AND p.kind = 'message' AND p.id % 5 = 0""",
    f"""SELECT {ts("p.decided")}, u.login, 'desk', 'review_item.approved', 'ok', 'undo until it leaves the desk',
      'review_item', p.id, p.id, p.lead, p.client,
      json_object('edit_class', {EDIT_CLASS}, 'version', 3, 'undo_window_s', {UNDO_S}.0)
    FROM item_plan p JOIN users u ON u.id = p.decider WHERE {APPROVED}""",
    f"""SELECT {ts("p.decided")}, u.login, 'desk', 'review_item.rejected', 'ok', 'undo from the desk', 'review_item',
      p.id, p.id, p.lead, p.client, json_object('reason', r.reject_reason, 'note', r.reject_note, 'version', 3)
    FROM item_plan p JOIN users u ON u.id = p.decider JOIN review_items r ON r.id = p.id
    WHERE p.decision = 'rejected'""",
    f"""SELECT {ts("p.decided + 30")}, 'desk', 'desk', 'review_item.held', 'ok',
      'leaves by itself when the pause is resumed', 'review_item', p.id, p.id, p.lead, p.client,
      json_object('pause_id', 1 + p.id % 3)
    FROM item_plan p WHERE p.release = 'held'""",
    f"""SELECT {ts("p.released")}, 'desk', 'desk', 'message.blocked', 'refused', '', 'review_item', p.id, p.id, p.lead,
      p.client, json_object('reason', 'the contact opted out')
    FROM item_plan p WHERE p.release = 'blocked'""",
    """SELECT m.queued_at, 'desk', 'desk', 'message.queued', 'ok', '', 'message', m.id, m.review_item_id, m.lead_id,
      m.client_id, '{}' FROM messages m""",
    """SELECT h.retry_from, 'desk', 'desk', 'crm_handoff.queued', 'ok', '', 'crm_handoff', h.id, h.review_item_id,
      h.lead_id, h.client_id, '{}' FROM crm_handoffs h""",
    f"""SELECT {ts("p.released")}, 'desk', 'desk', 'portal_note.published', 'ok', '', 'portal_note', p.id, p.id,
      p.lead, p.client, '{{}}' FROM item_plan p WHERE p.release = 'published'""",
)
AUDIT_COLUMNS = (
    "at, actor, source, action, outcome, recovery, entity, entity_id, review_item_id, lead_id, client_id, detail"
)
PORTAL_NOTES = f"""INSERT INTO portal_notes (client_id, lead_id, review_item_id, title, body, published_at, created_at,
  updated_at, owner, source, status, recovery)
SELECT p.client, p.lead, p.id, 'Lead update', 'A new inquiry arrived; the team followed up.', {ts("p.released")},
  {ts("p.released")}, {ts("p.released")}, 'desk', 'review_desk', 'published', 'unpublish from the desk'
FROM item_plan p WHERE p.release = 'published'"""
FILLED = (
    "webhook_events",
    "leads",
    "events",
    "review_items",
    "drafts",
    "messages",
    "crm_handoffs",
    "owner_tasks",
    "audit_log",
    "portal_notes",
)


def _catalog(database: Database, anchor: datetime) -> tuple[list[int], list[int], list[int]]:
    """Clients, data sources (two stale) and people; returns client, reviewer and supervisor ids."""
    with database.write() as session:
        ensure_user(session, "bench")  # the first user: an admin, who sees every reviewer's figures
        ensure_demo_catalog(session)
        for slug, name in EXTRA_CLIENTS:
            client = Client(slug=slug, name=name, timezone="America/Denver", quiet_hours="21:00-08:00")
            session.add(client)
            session.flush()
            for provider, kind, hours, age in (
                ("callrail", "call_tracking", 24, 2),
                ("quickbooks", "accounting", 48, 80),
            ):
                session.add(
                    DataSource(
                        client_id=client.id,
                        provider=provider,
                        kind=kind,
                        label=f"{provider} – {name}",
                        freshness_hours=hours,
                        last_synced_at=anchor - timedelta(hours=age),
                    )
                )
        session.add_all(
            [
                User(login=f"bench.reviewer{n:02d}", display_name=f"Reviewer {n:02d}", role=Role.REVIEWER)
                for n in range(REVIEWERS)
            ]
            + [
                User(login=f"bench.supervisor{n}", display_name=f"Supervisor {n}", role=Role.SUPERVISOR)
                for n in range(SUPERVISORS)
            ]
        )
        session.flush()
        clients = sorted(c.id for c in session.query(Client))
        people = {u.login: u for u in session.query(User)}
    reviewers = sorted(u.id for login, u in people.items() if login.startswith("bench.reviewer"))
    supervisors = sorted(u.id for u in people.values() if u.role == Role.SUPERVISOR)
    return clients, reviewers, supervisors


def _snapshots_and_pauses(conn: sqlite3.Connection, start: str) -> None:
    """A weekly snapshot per data source (calls, spend or clicks) and three resumed pauses."""
    conn.execute(
        f"""WITH RECURSIVE w(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM w WHERE k < {DAYS // 7 - 1})
        INSERT INTO metric_snapshots (client_id, data_source_id, metric, value, unit, period_start, period_end,
          created_at, updated_at, owner, source, status, recovery)
        SELECT s.client_id, s.id, CASE s.provider WHEN 'quickbooks' THEN 'spend' WHEN 'search_console' THEN 'clicks'
          ELSE 'calls' END, 100 + (s.id * 37 + w.k * 11) % 400,
          CASE s.provider WHEN 'quickbooks' THEN 'usd' ELSE '' END,
          {ts("w.k * 604800")}, {ts("(w.k + 1) * 604800")}, {ts("(w.k + 1) * 604800 + 3600")},
          {ts("(w.k + 1) * 604800 + 3600")}, 'pipeline', s.provider,
          CASE WHEN w.k < {DAYS // 7 - 2} THEN 'reviewed' ELSE 'unreviewed' END, ''
        FROM data_sources s, w""",
        {"start": start},
    )
    conn.execute(
        f"""WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 3)
        INSERT INTO automation_pauses (scope, scope_key, reason, "rollback", verification, "trigger", started_at,
          verified_at, verified_by, resumed_at, resumed_by, created_at, updated_at, owner, source, status, recovery)
        SELECT 'provider', CASE n WHEN 1 THEN 'thumbtack' WHEN 2 THEN 'angi' ELSE 'web_form' END, 'delivery failures',
          'resume', 'send a test', 'auto', {ts("n * 1209600")}, {ts("n * 1209600 + 7200")}, 'demo.supervisor',
          {ts("n * 1209600 + 7200")}, 'demo.supervisor', {ts("n * 1209600")}, {ts("n * 1209600 + 7200")},
          'demo.supervisor', 'desk', 'resumed', ''
        FROM k""",
        {"start": start},
    )


def build(path: Path, items: int, leads: int, anchor: datetime) -> None:
    """Build the database at ``path``: its history ends at ``anchor`` and spans ``DAYS`` days."""
    url = f"sqlite:///{path}"
    database = Database(url)
    upgrade(database.engine)
    clients, reviewers, supervisors = _catalog(database, anchor)
    database.dispose()
    rng = random.Random(18)
    lead_rows = lead_plan(rng, leads, clients)
    item_rows = item_plan(rng, items, lead_rows, reviewers, supervisors)
    start = (anchor - timedelta(days=DAYS)).strftime("%Y-%m-%d %H:%M:%S")
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-524288")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("BEGIN")
        indexes = conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join('?' * len(FILLED))})",
            FILLED,
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f"DROP INDEX {name}")
        for ddl in PLAN_DDL:
            conn.execute(ddl)
        conn.executemany("INSERT INTO lead_plan VALUES (?, ?, ?, ?, ?, ?, ?, ?)", lead_rows)
        conn.executemany("INSERT INTO item_plan VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", item_rows)
        params = {"start": start, "first_reviewer": reviewers[0], "open_after": DAYS * 86400 - 4 * 3600}
        for statement in FILL:
            conn.execute(statement, {k: v for k, v in params.items() if f":{k}" in statement})
        for select in AUDIT:
            conn.execute(
                f"INSERT INTO audit_log ({AUDIT_COLUMNS}) {select}", {"start": start} if ":start" in select else {}
            )
        conn.execute(PORTAL_NOTES, {"start": start})
        _snapshots_and_pauses(conn, start)
        for _, sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()
