"""The HubSpot adapter on every backend, against a local HubSpot-shaped server: 429s of both
policies (named or not), 5xx, timeouts, answers lost after the server committed and 207 partial
failures end with every handoff in HubSpot exactly once or visibly failed with HubSpot's own
words, and no duplicate record; the CRM preview belongs to the adapter, per client too."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from app.connectivity import CheckFailed, check_hubspot
from app.crm.adapters import OutboxFolder, Outgoing, PerClient, Unusable
from app.crm.hubspot import DealSettings, HubSpot, RateLimiter, parse_deal_mapping
from app.crm.preview import preview, read_outgoing
from app.crm.sender import push_due
from app.crm.webhook import SignedWebhook
from app.paths import AppPaths
from app.runtime import Runtime
from app.secrets import CRM_TOKEN, set_secret
from app.settings import Settings
from db.engine import Database
from db.types import utcnow
from tests.fake_hubspot import REFUSED_TOKEN, FakeHubSpot, fake_hubspot
from tests.fake_webhook import SECRET
from tests.test_crm_sender import approved_handoffs, drive, handoffs


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    with fake_hubspot(hang_s=1.0) as fake:
        yield fake


def adapter(fake: FakeHubSpot, **options: object) -> HubSpot:
    return HubSpot(fake.url, "pat-test-token", timeout_s=0.5, **options)  # type: ignore[arg-type]


def test_every_handoff_reaches_hubspot_once_or_fails_visibly_whatever_it_answers(
    loaded: Database, hubspot: FakeHubSpot
) -> None:
    made = approved_handoffs(loaded, 12)
    hubspot.misbehave("429", "503", "hang", "drop", "207")
    drive(loaded, adapter(hubspot, deals={made[0].payload["client"]: DealSettings("sales", "qualifiedtobuy", "77")}))
    done = handoffs(loaded)
    pushed = [h for h in done if h.status == "pushed"]
    failed = [h for h in done if h.status == "failed"]
    assert len(pushed) == 11 and len(failed) == 1
    assert "Property values were not valid" in failed[0].last_error and "correlation id" in failed[0].last_error
    for h in pushed:  # once each, associated to its contact
        assert hubspot.count("deals", "review_desk_id", h.idempotency_key) == 1
        assert h.external_id.startswith("deal:")
    assert hubspot.count("deals", "review_desk_id", failed[0].idempotency_key) == 0
    assert len(hubspot.objects["deals"]) == 11 and len(hubspot.associations) == 11
    emails = [p.get("email") for p in hubspot.objects["contacts"].values() if p.get("email")]
    assert len(emails) == len(set(emails))  # no duplicate contact
    first_client = [h for h in pushed if h.payload["client"] == made[0].payload["client"]]
    deal = next(p for p in hubspot.objects["deals"].values() if p["review_desk_id"] == first_client[0].idempotency_key)
    assert (deal["pipeline"], deal["dealstage"], deal["hubspot_owner_id"]) == ("sales", "qualifiedtobuy", "77")


def test_the_daily_limit_sends_the_batch_back_until_midnight(loaded: Database, hubspot: FakeHubSpot) -> None:
    approved_handoffs(loaded, 2)
    hubspot.misbehave("daily")
    assert push_due(loaded, adapter(hubspot)).retrying == 2
    rows = handoffs(loaded)
    assert all(r.status == "retrying" and "daily limit" in r.last_error for r in rows)
    wait = (rows[0].next_attempt_at - rows[0].updated_at).total_seconds()
    assert 0 < wait <= 24 * 3600


@pytest.mark.parametrize(("name_records_by", "echo_id_property"), [("ids", True), ("objectWriteTraceId", False)])
def test_a_207_fails_the_refused_record_with_hubspots_message_property_and_correlation_id(
    loaded: Database, name_records_by: str, echo_id_property: bool
) -> None:
    """Matched by the id property when HubSpot echoes it, else by each input's objectWriteTraceId."""
    approved_handoffs(loaded, 3)
    with fake_hubspot(name_records_by=name_records_by, echo_id_property=echo_id_property) as fake:
        fake.misbehave("207")
        run = push_due(loaded, adapter(fake))
        contacts = fake.upserts[0]
    assert (run.delivered, run.failed) == (2, 1)
    traces = [i["objectWriteTraceId"] for i in contacts]
    assert all(traces) and len(set(traces)) == len(traces)  # one unique trace id per input
    [failed] = [h for h in handoffs(loaded) if h.status == "failed"]
    assert failed.payload["contact"]["email"] == contacts[0]["id"]  # the record HubSpot refused
    error = failed.last_error
    assert "Property values were not valid" in error and "not in the answer" not in error
    assert "property email" in error and "VALIDATION_ERROR / INVALID_EMAIL" in error
    assert f"correlation id {fake.correlations[0]}" in error  # the 207's X-HubSpot-Correlation-Id
    assert failed.payload["contact"]["email"].lower() not in error.lower()  # the lead's value is not quoted


def test_a_record_refused_on_a_rate_limit_is_retried(loaded: Database) -> None:
    approved_handoffs(loaded, 3)
    with fake_hubspot(name_records_by="objectWriteTraceId", echo_id_property=False) as fake:
        fake.misbehave("ok", "207-busy")  # contacts go in; HubSpot refuses the first deal on a rate limit
        run = push_due(loaded, adapter(fake))
    assert (run.delivered, run.retrying) == (2, 1)
    [waiting] = [h for h in handoffs(loaded) if h.status == "retrying"]
    assert waiting.idempotency_key == fake.upserts[1][0]["id"]
    assert "HubSpot deals refused it (RATE_LIMITS" in waiting.last_error
    assert "secondly limit" in waiting.last_error and f"correlation id {fake.correlations[1]}" in waiting.last_error


def test_a_record_hubspots_answer_does_not_name_is_retried_saying_so(loaded: Database) -> None:
    approved_handoffs(loaded, 3)
    with fake_hubspot(name_records_by="nothing", echo_id_property=False) as fake:
        fake.misbehave("207")
        run = push_due(loaded, adapter(fake))
    assert (run.delivered, run.retrying) == (2, 1)  # the others matched by their trace ids
    [unsaid] = [h for h in handoffs(loaded) if h.status == "retrying"]
    assert "HubSpot's answer did not say what became of this record" in unsaid.last_error
    assert "Property values were not valid" in unsaid.last_error and "not in the answer" not in unsaid.last_error


@pytest.mark.parametrize("how", ["daily-unnamed", "daily-said"])
def test_a_429_without_a_policy_name_is_the_daily_limit_by_its_header_or_message(
    loaded: Database, hubspot: FakeHubSpot, how: str
) -> None:
    approved_handoffs(loaded, 2)
    started = utcnow()
    midnight = (started + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    hubspot.misbehave(how)
    assert push_due(loaded, adapter(hubspot)).retrying == 2
    rows = handoffs(loaded)
    assert all("HubSpot's daily limit is used up" in r.last_error for r in rows)
    assert all(midnight <= r.next_attempt_at <= midnight + timedelta(days=1) for r in rows)
    assert hubspot.requests == 1  # sent back at once, not retried against the daily limit


def test_a_429_without_a_policy_name_or_daily_sign_is_waited_out(loaded: Database, hubspot: FakeHubSpot) -> None:
    approved_handoffs(loaded, 2)
    hubspot.misbehave("secondly-unnamed")
    assert push_due(loaded, adapter(hubspot)).delivered == 2
    assert hubspot.refused_429 == 1


def test_a_request_hubspot_cannot_take_fails_at_once_with_its_error(loaded: Database, hubspot: FakeHubSpot) -> None:
    approved_handoffs(loaded, 1)
    bad = HubSpot(hubspot.url + "/nowhere", "bad", timeout_s=0.5)  # answers 404: the request itself is wrong
    assert push_due(loaded, bad).failed == 1
    assert "HubSpot HTTP 404" in handoffs(loaded)[0].last_error


def test_the_limiter_keeps_to_its_requests_per_window() -> None:
    limiter = RateLimiter(per_window=5, window_s=0.4)
    started = time.monotonic()
    for _ in range(12):
        limiter.wait()
    assert time.monotonic() - started >= 0.8  # 12 requests at 5 per 0.4 s need two full windows


def test_deal_mapping_is_read_per_client_and_a_bad_line_is_named() -> None:
    mapping = parse_deal_mapping("Brightline HVAC = sales/qualifiedtobuy/77; Cedar Roofing Co = default/closedwon")
    assert mapping == {
        "Brightline HVAC": DealSettings("sales", "qualifiedtobuy", "77"),
        "Cedar Roofing Co": DealSettings("default", "closedwon", None),
    }
    with pytest.raises(ValueError, match="Northside"):
        parse_deal_mapping("Northside Plumbing sales")


def test_the_runtime_builds_the_adapter_the_settings_name(tmp_path: Path) -> None:
    runtime = Runtime(AppPaths(tmp_path / "d", tmp_path / "c", tmp_path / "l"), Settings(), "sqlite://")
    assert isinstance(runtime.crm_adapter(), OutboxFolder)
    runtime.settings = Settings(crm_adapter="hubspot")
    assert runtime.crm_adapter() is None  # no token yet: handoffs wait
    set_secret(CRM_TOKEN, "pat-na1-test")
    assert isinstance(runtime.crm_adapter(), HubSpot)
    runtime.settings = Settings(crm_adapter="hubspot", hubspot_deal_mapping="nonsense")
    assert runtime.crm_adapter() is None
    runtime.settings = Settings(crm_adapter="webhook", crm_base_url="http://127.0.0.1:9/hook")
    assert runtime.crm_adapter() is None  # a HubSpot token is no Standard Webhooks secret
    set_secret(CRM_TOKEN, SECRET)
    assert isinstance(runtime.crm_adapter(), SignedWebhook)
    runtime.settings = Settings(crm_client_adapters="Brightline HVAC = outbox")
    routed = runtime.crm_adapter()
    assert isinstance(routed, PerClient) and isinstance(routed.chosen["Brightline HVAC"], OutboxFolder)
    runtime.settings = Settings(crm_client_adapters="Brightline HVAC = webhook")  # no webhook URL
    routed = runtime.crm_adapter()
    lead = Outgoing(0, "review_item:1", {"client": "Brightline HVAC", "contact": {"name": "Ana Ruiz"}, "note": "hi"})
    assert isinstance(routed, PerClient) and isinstance(routed.chosen["Brightline HVAC"], Unusable)
    assert "no webhook URL" in preview(lead, routed).destination
    [waits] = routed.push([Outgoing(5, "review_item:1", lead.payload)])
    assert waits.outcome == "retry" and "no webhook URL" in waits.error


def test_the_preview_shows_the_fields_the_duplicates_and_what_would_change(
    loaded: Database, hubspot: FakeHubSpot
) -> None:
    [made] = approved_handoffs(loaded, 1)
    with loaded.read() as session:
        outgoing = read_outgoing(session, made.review_item_id)
    crm = adapter(hubspot)
    first = preview(outgoing, crm)
    assert first.destination == "HubSpot" and first.remark == "A new deal." and not first.duplicates
    assert ("Contact", made.payload["contact"]["name"]) in first.fields
    push_due(loaded, crm)
    again = preview(outgoing, crm)
    assert again.remark == "The deal in HubSpot is the same." and len(again.duplicates) == 1
    changed = preview(outgoing, adapter(hubspot, deals={made.payload["client"]: DealSettings("sales", "closedwon")}))
    assert ("pipeline", "default", "sales") in changed.changes and "Would change in the CRM" in changed.as_text()
    hubspot.stop()
    assert preview(outgoing, adapter(hubspot)).remark.startswith("Could not ask HubSpot")


def test_without_hubspot_the_preview_says_where_it_goes(loaded: Database, tmp_path: Path) -> None:
    [made] = approved_handoffs(loaded, 1)
    with loaded.read() as session:
        outgoing = read_outgoing(session, made.review_item_id)
    to_folder = preview(outgoing, OutboxFolder(tmp_path))
    assert to_folder.destination == "the local outbox folder"
    assert ("Written to", str(tmp_path / f"review_item-{made.review_item_id}.json")) in to_folder.fields
    to_hook = preview(outgoing, SignedWebhook("https://user:pw@hooks.example.com/crm?token=x", SECRET))
    assert to_hook.destination == "the signed webhook" and ("webhook-id", outgoing.key) in to_hook.fields
    assert ("POST to", "https://hooks.example.com/crm") in to_hook.fields  # no credentials or query shown
    assert ("Note", outgoing.payload["note"]) in to_hook.fields
    assert preview(outgoing, None).destination == "nowhere yet (no CRM is set up)"


def test_under_per_client_routing_each_client_previews_with_its_own_adapter(
    loaded: Database, hubspot: FakeHubSpot, tmp_path: Path
) -> None:
    made = approved_handoffs(loaded, 8)
    first_of = {h.payload["client"]: h for h in reversed(made)}
    assert len(first_of) >= 3
    on_hubspot, on_outbox, unchosen = sorted(first_of)[:3]
    with loaded.read() as session:
        outgoing = {c: read_outgoing(session, first_of[c].review_item_id) for c in first_of}
    routed = PerClient(
        {on_hubspot: adapter(hubspot), on_outbox: OutboxFolder(tmp_path)}, Unusable("no CRM token in the keyring")
    )  # the default for the other clients
    before = preview(outgoing[on_hubspot], routed)
    assert before.destination == "HubSpot" and before.remark == "A new deal." and hubspot.requests >= 1
    push_due(loaded, routed)
    again = preview(outgoing[on_hubspot], routed)
    assert again.remark == "The deal in HubSpot is the same." and len(again.duplicates) == 1
    asked = hubspot.requests
    folder = preview(outgoing[on_outbox], routed)
    assert folder.destination == "the local outbox folder" and hubspot.requests == asked  # no lookups
    assert ("Contact", outgoing[on_outbox].payload["contact"]["name"]) in folder.fields
    waiting = preview(outgoing[unchosen], routed)
    assert waiting.destination.startswith(f"nowhere yet (no usable CRM adapter for {unchosen}")
    assert "no CRM token in the keyring" in waiting.destination


def test_the_settings_test_reads_hubspot_with_the_token(hubspot: FakeHubSpot) -> None:
    assert check_hubspot(hubspot.url, "pat-good") == "HubSpot accepted the token; contacts can be read."
    with pytest.raises(CheckFailed, match="refused the token"):
        check_hubspot(hubspot.url, REFUSED_TOKEN)
    with pytest.raises(CheckFailed, match="token first"):
        check_hubspot(hubspot.url, None)
