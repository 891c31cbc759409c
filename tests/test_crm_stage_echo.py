"""A deal moved in HubSpot moves its lead: the webhook's stage change finds the lead by the deal
its handoff made, follows the desk's stage rule (forward only, refusals recorded), takes the
lost reason when it is one of ours, hands nothing back to the CRM, holds a deal no lead has,
and moves a lead once for a delivery sent twice. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.crm.hubspot import HubSpot
from app.identity import Actor
from app.pipeline.poller import PollConfig, drain
from app.services.errors import ActionRefused
from app.services.intake import replay
from app.services.lead_stage import set_stage
from app.services.review_request import sweep_review_requests
from app.services.stage_handoffs import STAGE_DUE
from db.engine import Database
from db.models import (
    AuditEntry,
    ClientService,
    CrmHandoff,
    Event,
    IntegrationAccount,
    Lead,
    ReviewItem,
    ReviewRequest,
    WebhookEvent,
)
from db.types import utcnow
from db.vocab import CRM_ACCOUNT_KIND, EventType, HandoffStatus, ItemKind, LeadStage, LostReason, Role, WebhookStatus
from tests.deliveries import add_delivery
from tests.fake_hubspot import FakeHubSpot, fake_hubspot
from tests.helpers import actor_with
from tests.lifecycle import client, lead
from tests.test_crm_sender import drive
from tests.test_stage_handoffs import approve_item, handoff_items

S = LeadStage
PAYLOADS = Path(__file__).parent / "payloads" / "hubspot"
DEAL, OTHER_DEAL, PORTAL = "19284751023", "19284750988", "44871236"
_serial = itertools.count()


@pytest.fixture
def lee(database: Database) -> Actor:
    return actor_with(database, "lee", Role.SUPERVISOR)


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    with fake_hubspot() as fake:
        yield fake


def body(name: str, deal: str | None = None, **changes: Any) -> bytes:
    """A fixture's events; with ``deal``, the deal ``DEAL`` is that one; ``changes`` on each event."""
    events = json.loads((PAYLOADS / name).read_text(encoding="utf-8"))
    for event in events:
        if deal is not None and str(event.get("objectId")) == DEAL:
            event["objectId"] = int(deal)
        event.update(changes)
    return json.dumps(events).encode()


def deliver(db: Database, raw: bytes) -> int:
    """A HubSpot delivery as the intake stores it (one app URL for every portal: no client)."""
    headers = {"Content-Type": "application/json", "X-HubSpot-Signature-v3": "checked by the intake"}
    return add_delivery(db, "hubspot", raw, headers=headers)


def a_client(db: Database, portal: str | None = None) -> int:
    """A client offering drain cleaning with a HubSpot account (mapped to ``portal`` if given)."""
    client_id = client(db, f"client-{next(_serial)}")
    with db.write() as session:
        session.add(ClientService(client_id=client_id, code="drains", name="Drain cleaning"))
        session.add(
            IntegrationAccount(
                client_id=client_id, provider="hubspot", kind=CRM_ACCOUNT_KIND, label="CRM", external_account_id=portal
            )
        )
    return client_id


def a_lead(db: Database, client_id: int, stage: LeadStage, deal: str | None = DEAL, adapter: str = "outbox") -> int:
    """A lead at ``stage`` whose pushed handoff HubSpot answered with ``deal``."""
    lead_id = lead(db, client_id, utcnow(), stage=stage, email=f"lead{next(_serial)}@example.com")
    if deal is not None:
        with db.write() as session:
            session.add(
                CrmHandoff(
                    lead_id=lead_id,
                    client_id=client_id,
                    adapter=adapter,
                    idempotency_key=f"review_item:test-{next(_serial)}",
                    external_id=f"deal:{deal}",
                    pushed_at=utcnow(),
                    source="review_desk",
                    status=HandoffStatus.PUSHED,
                )
            )
    return lead_id


def the_lead(db: Database, lead_id: int) -> Lead:
    with db.read() as session:
        return session.get(Lead, lead_id)


def row(db: Database, row_id: int) -> WebhookEvent:
    with db.read() as session:
        return session.get(WebhookEvent, row_id)


def audits(db: Database, lead_id: int, action: str) -> list[AuditEntry]:
    with db.read() as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.lead_id == lead_id, AuditEntry.action == action)
                .order_by(AuditEntry.id)
            )
        )


def crm_work(db: Database) -> tuple[int, int]:
    """CRM handoff items and stage-handoff events, all leads together."""
    with db.read() as session:
        items = session.scalar(
            select(func.count()).select_from(ReviewItem).where(ReviewItem.kind == ItemKind.CRM_HANDOFF)
        )
        events = session.scalar(select(func.count()).select_from(Event).where(Event.type == STAGE_DUE))
    return items or 0, events or 0


def test_a_deal_won_in_hubspot_moves_its_lead_to_won_hands_nothing_back_and_gets_its_review_request(
    database: Database, poll_config: PollConfig, lee: Actor, hubspot: FakeHubSpot
) -> None:
    lead_id = a_lead(database, a_client(database), S.NEW, deal=None)
    set_stage(database, lee, lead_id, S.QUALIFIED)  # the desk hands the lead to HubSpot...
    approve_item(database, lee, handoff_items(database, lead_id)[0].id)
    drive(database, HubSpot(hubspot.url, "pat-test-token", timeout_s=2.0))
    (deal_id,) = hubspot.objects["deals"]
    with database.read() as session:
        assert session.scalars(select(CrmHandoff.external_id).where(CrmHandoff.lead_id == lead_id)).one() == (
            f"deal:{deal_id}"
        )
    before = crm_work(database)
    row_id = deliver(database, body("deal_won.json", deal=deal_id))  # ...and someone wins the deal there
    assert drain(database, poll_config).processed == 1
    won = the_lead(database, lead_id)
    assert (won.stage, won.outcome, won.won_at) == (S.WON, "won", None)
    assert crm_work(database) == before, "the CRM's own move is not handed back to it"
    (moved,) = audits(database, lead_id, "lead.stage_changed")[-1:]
    assert (moved.actor, moved.source, moved.detail["from"], moved.detail["to"]) == (
        "hubspot",
        "crm",
        "qualified",
        "won",
    )
    assert moved.detail["crm"] == {"deal": deal_id, "crm_stage": "closedwon", "change_source": "CRM_UI"}
    assert (row(database, row_id).status, row(database, row_id).event_count) == (WebhookStatus.PROCESSED, 1)
    with database.read() as session:
        event = session.scalars(select(Event).where(Event.type == EventType.CRM_DEAL_STAGE)).one()
    assert (event.lead_id, event.client_id, event.webhook_event_id) == (lead_id, won.client_id, row_id)
    assert sweep_review_requests(database).registered == 1  # the cycle registers it, as for a desk move
    with database.read() as session:
        request = session.scalars(select(ReviewRequest).where(ReviewRequest.lead_id == lead_id)).one()
        won_at = session.get(Lead, lead_id).won_at
    assert won_at == moved.at == request.won_at


def test_a_desk_move_hands_off_where_the_same_move_from_hubspot_does_not(
    database: Database, poll_config: PollConfig, lee: Actor
) -> None:
    client_id = a_client(database)
    by_desk, by_crm = (
        a_lead(database, client_id, S.QUALIFIED, deal=OTHER_DEAL),
        a_lead(database, client_id, S.QUALIFIED),
    )
    set_stage(database, lee, by_desk, S.QUOTED)
    assert crm_work(database) == (1, 1)
    deliver(database, body("deal_moved_twice.json"))  # DEAL to qualified then quoted; OTHER_DEAL to contractsent
    drain(database, poll_config)
    assert the_lead(database, by_crm).stage == S.QUOTED
    assert crm_work(database) == (1, 1), "no handoff item, no stage-due event for the CRM's own moves"
    (ignored,) = audits(database, by_crm, "crm.deal_stage_ignored")  # qualifiedtobuy: the lead was there
    assert ignored.detail["reason"] == "the lead is at qualified already"
    (unmapped,) = audits(database, by_desk, "crm.deal_stage_ignored")
    assert unmapped.detail["reason"] == "HubSpot deal stage 'contractsent' has no lead stage of ours"
    assert the_lead(database, by_desk).stage == S.QUOTED


@pytest.mark.parametrize(
    ("said", "reason", "from_where"),
    [
        ("The price", LostReason.PRICE, "HubSpot's closed_lost_reason"),
        ("  the CUSTOMER chose another company ", LostReason.CHOSE_COMPETITOR, "HubSpot's closed_lost_reason"),
        ("timing", LostReason.TIMING, "HubSpot's closed_lost_reason"),
        ("Went with his brother-in-law", LostReason.OTHER, "none of ours given: the default"),
        (None, LostReason.OTHER, "none of ours given: the default"),
    ],
)
def test_a_deal_lost_in_hubspot_takes_its_reason_when_it_is_ours_else_other(
    database: Database, poll_config: PollConfig, said: str | None, reason: LostReason, from_where: str
) -> None:
    lead_id = a_lead(database, a_client(database), S.QUOTED)
    events = json.loads(body("deal_lost.json"))
    if said is None:
        events = [e for e in events if e["propertyName"] == "dealstage"]
    else:
        events[0]["propertyValue"] = said
    deliver(database, json.dumps(events).encode())
    drain(database, poll_config)
    lost = the_lead(database, lead_id)
    assert (lost.stage, lost.outcome, lost.lost_reason) == (S.LOST, "lost", reason)
    (moved,) = audits(database, lead_id, "lead.stage_changed")
    assert (moved.detail["lost_reason"], moved.detail["crm"]["lost_reason_from"]) == (reason, from_where)


def test_a_backwards_move_from_hubspot_is_refused_and_recorded_never_forced(
    database: Database, poll_config: PollConfig
) -> None:
    booked, won = (
        a_lead(database, a_client(database), S.BOOKED),
        a_lead(database, a_client(database), S.WON, OTHER_DEAL),
    )
    deliver(database, body("deal_moved_twice.json", deal=DEAL))  # qualified, then quoted; contractsent ignored
    deliver(database, body("deal_lost.json", deal=OTHER_DEAL))  # a won lead cannot be lost
    result = drain(database, poll_config)
    assert (result.processed, result.held, result.quarantined) == (2, 0, 0)
    assert (the_lead(database, booked).stage, the_lead(database, won).stage) == (S.BOOKED, S.WON)
    refused = audits(database, booked, "lead.stage_change")
    assert [(a.outcome, a.actor, a.source, a.detail["to"]) for a in refused] == [
        ("refused", "hubspot", "crm", "qualified"),
        ("refused", "hubspot", "crm", "quoted"),
    ]
    assert "cannot move to qualified: it can go to lost, won" in refused[0].detail["reason"]
    (closed,) = audits(database, won, "lead.stage_change")
    assert "cannot move to lost: it can go to archived" in closed.detail["reason"]
    assert audits(database, booked, "lead.stage_changed") == audits(database, won, "lead.stage_changed") == []


def test_a_deal_no_lead_has_is_held_with_the_reason_and_a_replay_applies_it(
    database: Database, poll_config: PollConfig
) -> None:
    client_id = a_client(database)
    known = a_lead(database, client_id, S.NEW, deal=DEAL)
    row_id = deliver(database, body("deal_moved_twice.json"))  # DEAL's two moves, and OTHER_DEAL's
    result = drain(database, poll_config)
    assert (result.held, result.events) == (1, 2)
    held = row(database, row_id)
    assert (held.status, held.error) == (WebhookStatus.HELD, f"no lead has HubSpot deal {OTHER_DEAL}")
    assert the_lead(database, known).stage == S.QUOTED, "the deal a lead has moved its lead"
    with database.read() as session:
        kept = session.scalars(select(AuditEntry).where(AuditEntry.action == "webhook.held")).one()
        written = session.scalars(select(Event.data).where(Event.type == EventType.CRM_DEAL_STAGE)).all()
    assert [e["deal"] for e in written] == [DEAL, DEAL], "nothing of the held change is written"
    assert (kept.entity_id, kept.detail["reason"]) == (row_id, f"no lead has HubSpot deal {OTHER_DEAL}")
    later = a_lead(database, client_id, S.QUALIFIED, deal=OTHER_DEAL)  # its handoff is pushed later
    assert replay(database, "lee", WebhookStatus.HELD) == 1
    again = drain(database, poll_config)
    assert (again.processed, again.events, again.duplicates) == (1, 1, 2)
    assert row(database, row_id).status == WebhookStatus.PROCESSED
    assert [a.detail["reason"] for a in audits(database, later, "crm.deal_stage_ignored")] == [
        "HubSpot deal stage 'contractsent' has no lead stage of ours"
    ]
    assert len(audits(database, known, "lead.stage_changed")) == 2, "the moves already made are not made again"


def test_the_same_delivery_twice_moves_the_lead_once(database: Database, poll_config: PollConfig) -> None:
    lead_id = a_lead(database, a_client(database), S.CONTACTED)
    first = deliver(database, body("deal_won.json"))
    drain(database, poll_config)
    resent = deliver(database, body("deal_won.json", attemptNumber=1))  # HubSpot retried: same change
    twice = [deliver(database, body("deal_won.json", attemptNumber=2)) for _ in range(2)]  # in one batch
    result = drain(database, poll_config)
    assert (result.processed, result.events, result.duplicates) == (3, 0, 3)
    assert the_lead(database, lead_id).stage == S.WON
    assert len(audits(database, lead_id, "lead.stage_changed")) == 1
    assert [row(database, r).event_count for r in (first, resent, *twice)] == [1, 0, 0, 0]


def test_other_property_changes_and_subscriptions_are_acknowledged_and_change_nothing(
    database: Database, poll_config: PollConfig
) -> None:
    lead_id = a_lead(database, a_client(database), S.QUOTED)
    won = json.loads(body("deal_won.json"))
    row_id = deliver(database, json.dumps(won[1:]).encode())  # an amount change, a contact creation
    result = drain(database, poll_config)
    assert (result.processed, result.events) == (1, 0)
    assert row(database, row_id).status == WebhookStatus.PROCESSED
    assert the_lead(database, lead_id).stage == S.QUOTED
    with database.read() as session:
        assert session.scalars(select(AuditEntry.action).where(AuditEntry.lead_id == lead_id)).all() == []


def test_malformed_deliveries_are_quarantined_with_the_reason_and_the_rest_go_on(
    database: Database, poll_config: PollConfig
) -> None:
    lead_id = a_lead(database, a_client(database), S.QUOTED)
    broken = json.loads(body("deal_won.json"))
    broken[0]["objectId"] = "deal nineteen"
    rows = [
        deliver(database, b'{"objectId": 19284751023}'),
        deliver(database, json.dumps(broken).encode()),
        deliver(database, b"[]"),
        deliver(database, body("deal_won.json")),
    ]
    result = drain(database, poll_config)
    assert (result.quarantined, result.processed) == (3, 1)
    assert [(row(database, r).status, row(database, r).error) for r in rows] == [
        (WebhookStatus.QUARANTINED, "expected a JSON array of HubSpot events, got dict"),
        (WebhookStatus.QUARANTINED, "event 1 of the array: field 'objectId' must be a HubSpot id (a whole number)"),
        (WebhookStatus.QUARANTINED, "an empty JSON array: no HubSpot events in it"),
        (WebhookStatus.PROCESSED, None),
    ]
    assert the_lead(database, lead_id).stage == S.WON


def test_one_deal_id_on_two_clients_leads_waits_for_the_portal_mapping(
    database: Database, poll_config: PollConfig
) -> None:
    ours, theirs = a_client(database), a_client(database)
    mine, other = a_lead(database, ours, S.QUOTED), a_lead(database, theirs, S.QUOTED, adapter="hubspot")
    row_id = deliver(database, body("deal_won.json"))
    assert drain(database, poll_config).held == 1
    assert f"HubSpot deal {DEAL} is on leads #{min(mine, other)}, #{max(mine, other)}" in row(database, row_id).error
    assert f"map HubSpot portal {PORTAL} to its client" in row(database, row_id).error
    with database.write() as session:  # the supervisor maps the portal to its client
        account = session.scalars(select(IntegrationAccount).where(IntegrationAccount.client_id == theirs)).one()
        account.external_account_id = PORTAL
    replay(database, "lee", WebhookStatus.HELD)
    assert drain(database, poll_config).processed == 1
    assert (the_lead(database, mine).stage, the_lead(database, other).stage) == (S.QUOTED, S.WON)


def test_a_person_asked_for_a_lost_reason_reads_the_reasons_in_words(database: Database, lee: Actor) -> None:
    lead_id = a_lead(database, a_client(database), S.QUOTED, deal=None)
    with pytest.raises(ActionRefused) as refused:
        set_stage(database, lee, lead_id, S.LOST)
    said = str(refused.value)
    assert "“Price”" in said and "“Chose another company”" in said and "“Another reason”" in said
    assert "chose_competitor" not in said and "spam_or_invalid" not in said
