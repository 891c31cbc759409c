"""A lead's stage change hands the new deal stage to the client's CRM: one CRM handoff item per
handed-off move of a client with a CRM (none without one, none for a refused move, none on a
repeat), in the queue like every item; approved and pushed, HubSpot's deal gets the mapped
stage, on the deal the lead's first handoff made. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.crm.adapters import OutboxFolder
from app.crm.hubspot import HubSpot
from app.crm.preview import preview, read_outgoing
from app.crm.sender import push_due
from app.identity import Actor
from app.services.errors import ActionRefused
from app.services.lead_stage import set_stage
from app.services.review import approve
from app.services.stage_handoffs import STAGE_DUE, STAGE_MAP, plan_stage_handoff
from db.engine import Database
from db.models import (
    AuditEntry,
    ClientService,
    CrmHandoff,
    Draft,
    Event,
    IntegrationAccount,
    Lead,
    ReviewItem,
)
from db.queries.queue import QueueFilter, QueueSort, fetch_page
from db.types import utcnow
from db.vocab import CRM_ACCOUNT_KIND, ItemKind, ItemStatus, LeadStage, LostReason, Role, Workflow
from tests.fake_hubspot import FakeHubSpot, fake_hubspot
from tests.helpers import actor_with
from tests.lifecycle import client, lead
from tests.test_crm_sender import EVERY_FLAG, drive

S = LeadStage
_serial = itertools.count()
# (from, to, lost reason) -> the deal stage it maps to; None: not handed off.
MOVES = [
    (S.NEW, S.QUALIFIED, None, "qualifiedtobuy"),
    (S.QUALIFIED, S.QUOTED, None, "presentationscheduled"),
    (S.QUOTED, S.WON, None, "closedwon"),
    (S.QUOTED, S.LOST, LostReason.PRICE, "closedlost"),
    (S.WON, S.ARCHIVED, None, "closedwon"),
    (S.LOST, S.ARCHIVED, None, "closedlost"),
    (S.NEW, S.CONTACTED, None, None),
    (S.QUOTED, S.BOOKED, None, None),
]


@pytest.fixture
def lee(database: Database) -> Actor:
    return actor_with(database, "lee", Role.SUPERVISOR)


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    with fake_hubspot() as fake:
        yield fake


def a_client(db: Database, crm: bool) -> int:
    """A client offering drain cleaning; with ``crm``, an active CRM account."""
    client_id = client(db, f"client-{next(_serial)}")
    with db.write() as session:
        session.add(ClientService(client_id=client_id, code="drains", name="Drain cleaning"))
        if crm:
            session.add(IntegrationAccount(client_id=client_id, provider="hubspot", kind=CRM_ACCOUNT_KIND, label="CRM"))
    return client_id


def a_lead(db: Database, client_id: int, stage: LeadStage = S.NEW, **columns: object) -> int:
    return lead(db, client_id, utcnow(), stage=stage, email="ann.lee@example.com", **columns)


def handoff_items(db: Database, lead_id: int) -> list[ReviewItem]:
    with db.read() as session:
        return list(session.scalars(select(ReviewItem).where(ReviewItem.lead_id == lead_id).order_by(ReviewItem.id)))


def approve_item(db: Database, actor: Actor, item_id: int) -> CrmHandoff:
    with db.read() as session:
        version = session.get(ReviewItem, item_id).version
    approve(db, actor, item_id, version, acknowledged=EVERY_FLAG)
    with db.read() as session:
        return session.scalars(select(CrmHandoff).where(CrmHandoff.review_item_id == item_id)).one()


def test_each_handed_off_stage_makes_one_handoff_item_for_a_client_with_a_crm_and_none_without(
    database: Database, lee: Actor
) -> None:
    with_crm, without = a_client(database, crm=True), a_client(database, crm=False)
    for start, stage, reason, mapped in MOVES:
        extra = {"lost_reason": LostReason.PRICE} if start == S.LOST else {}
        ours, theirs = a_lead(database, with_crm, start, **extra), a_lead(database, without, start, **extra)
        for lead_id in (ours, theirs):
            set_stage(database, lee, lead_id, stage, reason=reason)
        assert handoff_items(database, theirs) == [], (start, stage)
        items = handoff_items(database, ours)
        if mapped is None:
            assert items == [], (start, stage)
            continue
        assert [(i.kind, i.workflow, i.status, i.flag_codes) for i in items] == [
            (ItemKind.CRM_HANDOFF, Workflow.CRM_HANDOFF, ItemStatus.PENDING, "")  # our own words: nothing to flag
        ], (start, stage)
        with database.read() as session:
            event = session.get(Event, items[0].event_id)
            draft = session.scalars(select(Draft).where(Draft.review_item_id == items[0].id)).one()
            audited = session.scalars(select(AuditEntry.action).where(AuditEntry.review_item_id == items[0].id)).all()
        assert (event.type, event.idempotency_key) == (STAGE_DUE, f"stage:{ours}:{stage}")
        assert (event.data["from"], event.data["to"], event.data["crm_stage"]) == (start, stage, mapped)
        assert event.data["lost_reason"] == (LostReason.PRICE if mapped == "closedlost" else None)
        assert mapped in draft.internal_summary and f"{start} → {stage}" in draft.internal_summary
        assert draft.client_text.startswith("Deal update: the drain cleaning")
        assert "Ann" not in draft.client_text and "example.com" not in draft.client_text
        assert ("price" in draft.client_text) == (stage == S.LOST)
        assert "lead.crm_stage_drafted" in audited


def test_a_handoff_item_waits_in_the_queue_as_a_crm_handoff(database: Database, lee: Actor) -> None:
    client_id = a_client(database, crm=True)
    lead_id = a_lead(database, client_id, S.QUOTED)
    set_stage(database, lee, lead_id, S.WON)
    with database.read() as session:
        rows = fetch_page(session, QueueFilter(kind=ItemKind.CRM_HANDOFF, client_id=client_id), QueueSort(), 0, 10)
    assert [(r.kind, r.workflow, r.status, r.lead_label) for r in rows] == [
        (ItemKind.CRM_HANDOFF, Workflow.CRM_HANDOFF, ItemStatus.PENDING, "Ann Lee")
    ]


def test_a_refused_move_or_a_repeat_creates_nothing(database: Database, lee: Actor) -> None:
    client_id = a_client(database, crm=True)
    booked, quoted = a_lead(database, client_id, S.BOOKED), a_lead(database, client_id, S.QUOTED)
    with pytest.raises(ActionRefused):
        set_stage(database, lee, booked, S.QUALIFIED)
    with pytest.raises(ActionRefused, match="Say why"):
        set_stage(database, lee, quoted, S.LOST)
    assert handoff_items(database, booked) == handoff_items(database, quoted) == []
    set_stage(database, lee, quoted, S.WON)
    with database.write() as session:  # the same move planned again (a re-run) finds its key
        row = session.get(Lead, quoted)
        assert plan_stage_handoff(session, "lee", row, S.QUOTED, S.WON, "test", utcnow()) is None
    with pytest.raises(ActionRefused):
        set_stage(database, lee, quoted, S.WON)
    assert len(handoff_items(database, quoted)) == 1
    with database.read() as session:
        assert len(session.scalars(select(Event.id).where(Event.type == STAGE_DUE)).all()) == 1


def test_approved_stage_handoffs_move_one_hubspot_deal_through_the_mapped_stages(
    database: Database, lee: Actor, hubspot: FakeHubSpot
) -> None:
    adapter = HubSpot(hubspot.url, "pat-test-token", timeout_s=2.0)
    lead_id = a_lead(database, a_client(database, crm=True))
    keys = []
    for stage, reason, mapped, lost in (
        (S.QUALIFIED, None, "qualifiedtobuy", None),
        (S.QUOTED, None, "presentationscheduled", None),
        (S.LOST, LostReason.CHOSE_COMPETITOR, "closedlost", "the customer chose another company"),
        (S.ARCHIVED, None, "closedlost", "the customer chose another company"),
    ):
        set_stage(database, lee, lead_id, stage, reason=reason)
        item = handoff_items(database, lead_id)[-1]
        handoff = approve_item(database, lee, item.id)
        assert handoff.payload["stage"] == {
            "lead_stage": stage,
            "crm_stage": mapped,
            "pipeline": "default",
            "lost_reason": lost,
            "deal": keys[0] if keys else None,  # the first push made the lead's deal
        }
        drive(database, adapter)
        keys.append(handoff.idempotency_key)
        assert len(hubspot.objects["deals"]) == 1, stage
        (deal,) = hubspot.objects["deals"].values()
        assert (deal["review_desk_id"], deal["dealstage"]) == (keys[0], mapped)
        assert deal.get("closed_lost_reason") == lost
    assert deal["dealname"] == "Drain cleaning – Ann Lee" and deal["pipeline"] == "default"
    with database.read() as session:
        statuses = session.scalars(select(CrmHandoff.status).where(CrmHandoff.lead_id == lead_id)).all()
        row = session.get(Lead, lead_id)
    assert statuses == ["pushed"] * 4
    assert row.stage == S.ARCHIVED and row.next_action != "follow up from the CRM"  # no qualify on approval
    assert len(hubspot.associations) == 1


def test_the_hubspot_preview_shows_the_stage_the_deal_would_move_to(
    database: Database, lee: Actor, hubspot: FakeHubSpot
) -> None:
    adapter = HubSpot(hubspot.url, "pat-test-token", timeout_s=2.0)
    lead_id = a_lead(database, a_client(database, crm=True))
    set_stage(database, lee, lead_id, S.QUALIFIED)
    approve_item(database, lee, handoff_items(database, lead_id)[0].id)
    drive(database, adapter)
    set_stage(database, lee, lead_id, S.WON)
    with database.read() as session:
        outgoing = read_outgoing(session, handoff_items(database, lead_id)[-1].id)
    shown = preview(outgoing, adapter)
    assert ("dealstage", "qualifiedtobuy", STAGE_MAP[S.WON]) in shown.changes
    assert ("Pipeline / stage", f"its pipeline / {STAGE_MAP[S.WON]}") in shown.fields


def test_without_an_earlier_deal_the_outbox_file_carries_the_stage_mapping(
    database: Database, lee: Actor, tmp_path: Path
) -> None:
    lead_id = a_lead(database, a_client(database, crm=True), S.QUOTED)
    set_stage(database, lee, lead_id, S.WON)
    handoff = approve_item(database, lee, handoff_items(database, lead_id)[0].id)
    drive(database, OutboxFolder(tmp_path))
    written = json.loads((tmp_path / f"{handoff.idempotency_key.replace(':', '-')}.json").read_text("utf-8"))
    assert written["stage"] == {
        "lead_stage": "won",
        "crm_stage": "closedwon",
        "pipeline": "default",
        "lost_reason": None,
        "deal": None,
    }
    assert written["note"].startswith("Deal update: the drain cleaning job is won.")


def test_two_stage_changes_pushed_together_reach_the_deal_in_the_order_approved(
    database: Database, lee: Actor, hubspot: FakeHubSpot
) -> None:
    adapter = HubSpot(hubspot.url, "pat-test-token", timeout_s=2.0)
    lead_id = a_lead(database, a_client(database, crm=True))
    set_stage(database, lee, lead_id, S.QUALIFIED)
    approve_item(database, lee, handoff_items(database, lead_id)[0].id)
    drive(database, adapter)
    for stage in (S.QUOTED, S.WON):
        set_stage(database, lee, lead_id, stage)
        approve_item(database, lee, handoff_items(database, lead_id)[-1].id)
    hubspot.upserts.clear()
    assert push_due(database, adapter).delivered == 2  # one batch
    deal_upserts = [inputs for inputs in hubspot.upserts if "dealstage" in inputs[0]["properties"]]
    assert [[i["properties"]["dealstage"] for i in inputs] for inputs in deal_upserts] == [
        ["presentationscheduled"],
        ["closedwon"],
    ]  # a batch upsert names a deal once
    (deal,) = hubspot.objects["deals"].values()
    assert deal["dealstage"] == "closedwon"
