"""Provider syncs (QuickBooks, Search Console, marketplace imports) become provider.enriched."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.pipeline.model import Contact, NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.normalizers import marketplace_import, quickbooks, search_console
from db.vocab import EventType

PAYLOADS = Path(__file__).parent / "payloads"
LIMIT = 512 * 1024
NORMALIZERS: dict[str, Callable[[RawDelivery, int], list[NormalizedEvent]]] = {
    "quickbooks": quickbooks.normalize,
    "search_console": search_console.normalize,
    "marketplace_import": marketplace_import.normalize,
}


def fixture(provider: str, name: str) -> Any:
    return json.loads((PAYLOADS / provider / name).read_text())


def run(provider: str, body: Any) -> list[NormalizedEvent]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return NORMALIZERS[provider](RawDelivery(provider, raw), LIMIT)


def only(provider: str, body: Any) -> NormalizedEvent:
    (event,) = run(provider, body)
    return event


def reordered(value: Any) -> Any:
    """The same JSON with every object's keys and every list in reverse order."""
    if isinstance(value, dict):
        return {key: reordered(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reordered(item) for item in reversed(value)]
    return value


def assert_enriched(event: NormalizedEvent, provider: str, source: str, account_ref: str) -> None:
    assert event.type == EventType.PROVIDER_ENRICHED
    assert event.provider == provider and event.source == source
    assert event.account_ref == account_ref
    assert event.contact == Contact() and event.free_text == "" and not event.attribution
    assert event.data["synced_at"] == event.occurred_at.isoformat()
    assert json.loads(json.dumps(event.data)) == event.data


# --- QuickBooks -------------------------------------------------------------------------


def test_a_quickbooks_notification_gives_one_event_per_realm() -> None:
    first, second = run("quickbooks", fixture("quickbooks", "data_change_two_realms.json"))
    assert_enriched(first, "quickbooks", "QuickBooks Online", "9130357812345671")
    assert_enriched(second, "quickbooks", "QuickBooks Online", "9130357898765432")
    # The payment's -08:00 time is the newest once in UTC.
    assert first.occurred_at == datetime(2026, 11, 20, 14, 5, 30, tzinfo=UTC)
    assert first.data == {
        "provider_kind": "accounting",
        "synced_at": "2026-11-20T14:05:30+00:00",
        "entities": [
            {"name": "Invoice", "id": "1043", "operation": "Create", "last_updated": "2026-11-20T14:02:11+00:00"},
            {"name": "Customer", "id": "58", "operation": "Update", "last_updated": "2026-11-20T14:01:47+00:00"},
            {"name": "Payment", "id": "2210", "operation": "Create", "last_updated": "2026-11-20T14:05:30+00:00"},
        ],
        "mapping_state": "mapped",
    }
    assert second.occurred_at == datetime(2026, 11, 20, 13, 56, 40, tzinfo=UTC)
    assert [(e["name"], e["id"], e["operation"]) for e in second.data["entities"]] == [
        ("Invoice", "877", "Void"),
        ("Customer", "112", "Merge"),
        ("Estimate", "305", "Update"),
    ]
    assert first.idempotency_key.startswith("quickbooks:changes:9130357812345671:")
    assert second.idempotency_key.startswith("quickbooks:changes:9130357898765432:")


def test_quickbooks_cloudevents_read_like_data_change_notifications() -> None:
    first, second = run("quickbooks", fixture("quickbooks", "cloudevents.json"))
    assert_enriched(first, "quickbooks", "QuickBooks Online", "9130357812345671")
    assert_enriched(second, "quickbooks", "QuickBooks Online", "9130357898765432")
    assert first.occurred_at == datetime(2026, 11, 20, 14, 5, 30, 2000, tzinfo=UTC)
    assert first.data["entities"] == [
        {"name": "Invoice", "id": "1043", "operation": "Create", "last_updated": "2026-11-20T14:02:11.418203+00:00"},
        {"name": "Payment", "id": "2210", "operation": "Create", "last_updated": "2026-11-20T14:05:30.002000+00:00"},
    ]
    assert second.data["entities"] == [
        {"name": "Estimate", "id": "305", "operation": "Update", "last_updated": "2026-11-20T13:50:19.120000+00:00"},
    ]
    assert second.data["synced_at"] == "2026-11-20T13:50:19.120000+00:00"


def test_a_realm_split_over_notifications_is_one_event_listing_a_repeat_once() -> None:
    body = fixture("quickbooks", "data_change_two_realms.json")
    first = body["eventNotifications"][0]
    body["eventNotifications"].append(json.loads(json.dumps(first)))  # the same changes again
    bill = {"name": "Bill", "id": "61", "operation": "Delete", "lastUpdated": "2026-11-20T14:10Z"}
    body["eventNotifications"].append({"realmId": first["realmId"], "dataChangeEvent": {"entities": [bill]}})
    merged, _ = run("quickbooks", body)
    assert [e["id"] for e in merged.data["entities"]] == ["1043", "58", "2210", "61"]
    assert merged.data["synced_at"] == "2026-11-20T14:10:00+00:00"


@pytest.mark.parametrize("name", ["data_change_two_realms.json", "cloudevents.json"])
def test_quickbooks_keys_survive_redelivery_and_reordering(name: str) -> None:
    body = fixture("quickbooks", name)
    keys = [event.idempotency_key for event in run("quickbooks", body)]
    again = [event.idempotency_key for event in run("quickbooks", body)]
    shuffled = sorted(event.idempotency_key for event in run("quickbooks", reordered(body)))
    assert keys == again and sorted(keys) == shuffled and len(set(keys)) == 2


def test_a_different_quickbooks_change_gets_a_different_key() -> None:
    body = fixture("quickbooks", "data_change_two_realms.json")
    before = run("quickbooks", body)[0].idempotency_key
    body["eventNotifications"][0]["dataChangeEvent"]["entities"][0]["lastUpdated"] = "2026-11-20T14:30:00Z"
    assert run("quickbooks", body)[0].idempotency_key != before


# --- Search Console ---------------------------------------------------------------------


def test_a_search_console_run_becomes_totals_for_the_period() -> None:
    event = only("search_console", fixture("search_console", "daily_by_date.json"))
    site = "sc-domain:lakeviewplumbing.example"
    assert_enriched(event, "search_console", "Google Search Console", site)
    assert event.occurred_at == datetime(2026, 11, 18, 9, 30, tzinfo=UTC)
    assert event.idempotency_key == "search_console:import:gsc-run-2026-11-18-lakeview-7c1e"
    assert event.data == {
        "provider_kind": "search",
        "synced_at": "2026-11-18T09:30:00+00:00",
        "import_batch": "gsc-run-2026-11-18-lakeview-7c1e",
        "period_start": "2026-11-09",
        "period_end": "2026-11-15",
        "search_type": "web",
        "metrics": [
            {"metric": "clicks", "value": 42.0, "unit": "count"},
            {"metric": "impressions", "value": 1800.0, "unit": "count"},
            {"metric": "ctr", "value": 0.0233, "unit": "ratio"},  # 42 / 1800
            {"metric": "position", "value": 11.4667, "unit": "rank"},  # 20640 / 1800
        ],
        "row_count": 7,
        "mapping_state": "mapped",
    }


def test_search_terms_never_reach_the_event_and_query_totals_are_partial() -> None:
    body = fixture("search_console", "by_query.json")
    event = only("search_console", body)
    assert event.data["metrics"] == [
        {"metric": "clicks", "value": 25.0, "unit": "count"},
        {"metric": "impressions", "value": 1000.0, "unit": "count"},
        {"metric": "ctr", "value": 0.025, "unit": "ratio"},
        {"metric": "position", "value": 14.462, "unit": "rank"},  # 14462 / 1000
    ]
    assert event.data["mapping_state"] == "partial" and event.data["row_count"] == 4
    assert event.account_ref == "https://www.lakeviewplumbing.example/"
    stored = json.dumps(event.data) + event.free_text + json.dumps(dict(event.attribution))
    for row in body["response"]["rows"]:
        assert row["keys"][0] not in stored
    for word in ("heater", "emergency", "near me", "reviews", "unclog", "shower", "MOBILE"):
        assert word not in stored


def test_no_rows_means_no_metrics_rather_than_zeros() -> None:
    event = only("search_console", fixture("search_console", "no_rows.json"))
    assert event.data["metrics"] == [] and event.data["row_count"] == 0
    assert event.data["mapping_state"] == "mapped"
    assert event.data["period_start"] == "2026-11-16" and event.data["period_end"] == "2026-11-17"


@pytest.mark.parametrize(
    "change",
    [
        {"metadata": {"firstIncompleteDate": "2026-11-15"}},
        {"metadata": {"firstIncompleteHour": "2026-11-15T10:00:00-08:00"}},
        {"responseAggregationType": "BY_PAGE"},
    ],
)
def test_incomplete_or_per_page_totals_are_partial(change: dict[str, Any]) -> None:
    body = fixture("search_console", "daily_by_date.json")
    body["response"].update(change)
    assert only("search_console", body).data["mapping_state"] == "partial"


def test_search_console_key_survives_key_order_and_row_order() -> None:
    body = fixture("search_console", "daily_by_date.json")
    assert only("search_console", reordered(body)).idempotency_key == only("search_console", body).idempotency_key


# --- Marketplace imports ----------------------------------------------------------------


def test_a_thumbtack_daily_batch_becomes_lead_and_spend_metrics() -> None:
    event = only("marketplace_import", fixture("marketplace_import", "thumbtack_daily.json"))
    assert_enriched(event, "marketplace_import", "Thumbtack import", "512300000000000017")
    assert event.occurred_at == datetime(2026, 11, 20, 6, 15, tzinfo=UTC)
    assert event.idempotency_key == "marketplace_import:batch:thumbtack:tt-daily-2026-11-19-0042"
    assert event.data == {
        "provider_kind": "marketplace",
        "synced_at": "2026-11-20T06:15:00+00:00",
        "marketplace": "thumbtack",
        "import_batch": "tt-daily-2026-11-19-0042",
        "period_start": "2026-11-19T06:00:00+00:00",
        "period_end": "2026-11-20T06:00:00+00:00",
        "metrics": [
            {"metric": "leads", "value": 5.0, "unit": "count"},
            {"metric": "spend", "value": 100.5, "unit": "USD"},
            {"metric": "cost_per_lead", "value": 20.1, "unit": "USD"},
            {"metric": "booked", "value": 2.0, "unit": "count"},  # booked + completed
        ],
        "rows_total": 5,
        "rows_unmapped": 0,
        "mapping_state": "mapped",
    }


def test_unmapped_rows_are_counted_and_make_the_batch_partial() -> None:
    event = only("marketplace_import", fixture("marketplace_import", "angi_hourly_partial.json"))
    assert_enriched(event, "marketplace_import", "Angi import", "88123456")
    # No cost, no lead_id, an unmapped status: three of seven rows.
    assert event.data["rows_total"] == 7 and event.data["rows_unmapped"] == 3
    assert event.data["mapping_state"] == "partial"
    assert event.data["metrics"] == [
        {"metric": "leads", "value": 4.0, "unit": "count"},
        {"metric": "spend", "value": 182.0, "unit": "USD"},
        {"metric": "cost_per_lead", "value": 45.5, "unit": "USD"},
        {"metric": "booked", "value": 1.0, "unit": "count"},
    ]


def test_a_batch_without_rows_is_a_period_without_leads() -> None:
    body = fixture("marketplace_import", "thumbtack_daily.json")
    body["rows"] = []
    event = only("marketplace_import", body)
    assert event.data["metrics"] == [
        {"metric": "leads", "value": 0.0, "unit": "count"},
        {"metric": "spend", "value": 0.0, "unit": "USD"},
        {"metric": "booked", "value": 0.0, "unit": "count"},
    ]
    assert event.data["rows_total"] == 0 and event.data["mapping_state"] == "mapped"


def test_marketplace_key_survives_key_order_and_row_order() -> None:
    body = fixture("marketplace_import", "angi_hourly_partial.json")
    first = only("marketplace_import", body)
    again = only("marketplace_import", reordered(body))
    assert first.idempotency_key == again.idempotency_key == ("marketplace_import:batch:angi:angi-hourly-2026-11-20T14")
    assert first.data == again.data


# --- Bad input --------------------------------------------------------------------------


def _qb(**entity: Any) -> dict[str, Any]:
    body: dict[str, Any] = fixture("quickbooks", "data_change_two_realms.json")
    del body["eventNotifications"][1]
    body["eventNotifications"][0]["dataChangeEvent"]["entities"][0].update(entity)
    return body


def _cloud(**event: Any) -> list[dict[str, Any]]:
    return [{**fixture("quickbooks", "cloudevents.json")[0], **event}]


def _gsc(**change: Any) -> dict[str, Any]:
    return {**fixture("search_console", "daily_by_date.json"), **change}


def _gsc_row(**change: Any) -> dict[str, Any]:
    body: dict[str, Any] = fixture("search_console", "daily_by_date.json")
    body["response"]["rows"][2].update(change)
    return body


def _batch(**change: Any) -> dict[str, Any]:
    return {**fixture("marketplace_import", "thumbtack_daily.json"), **change}


def _batch_row(**change: Any) -> dict[str, Any]:
    body: dict[str, Any] = fixture("marketplace_import", "thumbtack_daily.json")
    body["rows"][1].update(change)
    return body


@pytest.mark.parametrize(
    ("provider", "body", "reason"),
    [
        ("quickbooks", {"realmId": "1"}, "not a QuickBooks notification"),
        ("quickbooks", b'"hello"', "expected a JSON object or array, got str"),
        ("quickbooks", {"eventNotifications": []}, "field 'eventNotifications' is empty"),
        ("quickbooks", [], "CloudEvents list is empty"),
        (
            "quickbooks",
            {"eventNotifications": [{"realmId": "9130357812345671", "dataChangeEvent": {"entities": []}}]},
            r"eventNotifications\[0\]: field 'entities' is empty",
        ),
        (
            "quickbooks",
            {"eventNotifications": [{"realmId": "9130357812345671"}]},
            "'dataChangeEvent' must be an object",
        ),
        ("quickbooks", {"eventNotifications": ["Invoice"]}, r"eventNotifications\[0\] must be an object"),
        ("quickbooks", _qb(name="Spaceship"), "unknown QuickBooks entity; expected one of"),
        ("quickbooks", _qb(operation="Teleport"), "unknown QuickBooks operation"),
        (
            "quickbooks",
            _qb(lastUpdated="yesterday"),
            r"eventNotifications\[0\]: entities\[0\]: timestamp 'lastUpdated' is not a valid",
        ),
        ("quickbooks", _qb(lastUpdated="2026-11-20T14:02:11"), "no time zone"),
        ("quickbooks", _qb(id=["1043"]), "'id' must be text"),
        ("quickbooks", _qb(id=None), "required field 'id' is missing"),
        ("quickbooks", {"eventNotifications": [{"realmId": "acme-books", "dataChangeEvent": {}}]}, "company id"),
        ("quickbooks", _cloud(specversion="0.3"), "specversion"),
        ("quickbooks", _cloud(type="qbo.invoice.created.v2"), "not a QuickBooks Online event type"),
        ("quickbooks", _cloud(type="payroll.employee"), "not a QuickBooks Online event type"),
        ("quickbooks", _cloud(type="qbo.invoice.archived.v1"), "unknown QuickBooks operation"),
        ("quickbooks", _cloud(intuitaccountid=None), "'intuitaccountid' is missing"),
        ("quickbooks", _cloud(time="2026-13-01T00:00:00Z"), r"CloudEvents\[0\]: timestamp 'time'"),
        ("quickbooks", b'[{"a": NaN}]', "non-standard constant"),
        ("quickbooks", b'[{"a": "x\\u0000y"}]', r"forbidden character U\+0000"),
        ("quickbooks", b"[" * 40 + b"]" * 40, "nested deeper"),
        ("quickbooks", b"[1,", "malformed JSON: Expecting value at line 1 column 4"),
        # The array is checked wrapped in an object: a body that only parses wrapped is refused.
        ("quickbooks", b'[], "CloudEvents": [{}]', "malformed JSON: Extra data"),
        ("quickbooks", b"\xff[]", "not valid UTF-8"),
        ("search_console", [], "expected a JSON object"),
        ("search_console", _gsc(site_url="lakeviewplumbing.example"), "Search Console property"),
        ("search_console", _gsc(import_run_id=""), "'import_run_id' is missing"),
        ("search_console", _gsc(start_date="2026-13-01"), "not a real calendar day"),
        ("search_console", _gsc(end_date="2026-11-15T00:00:00Z"), "must be written YYYY-MM-DD"),
        ("search_console", _gsc(start_date=20261109), "must be written YYYY-MM-DD"),
        ("search_console", _gsc(start_date="2026-11-16"), "after 'end_date'"),
        ("search_console", _gsc(dimensions=["date", "weather"]), "unknown dimension; expected one of"),
        ("search_console", _gsc(dimensions=["date", "date"]), "listed twice"),
        ("search_console", _gsc(dimensions="date"), "'dimensions' must be a list"),
        ("search_console", _gsc(search_type="maps"), "unknown search type"),
        ("search_console", _gsc(pulled_at="soon"), "'pulled_at' is not a valid"),
        ("search_console", _gsc(response=[]), "'response' must be an object"),
        ("search_console", _gsc(response={"rows": {}}), "'rows' must be a list"),
        (
            "search_console",
            _gsc(response={"rows": [], "responseAggregationType": "bySite"}),
            "unknown aggregation type",
        ),
        (
            "search_console",
            _gsc(response={"metadata": {"firstIncompleteDate": "last week"}}),
            "metadata: date 'firstIncompleteDate'",
        ),
        ("search_console", _gsc_row(ctr=1.5), r"rows\[2\]: field 'ctr' must be between 0 and 1"),
        ("search_console", _gsc_row(ctr=-0.1), "between 0 and 1"),
        ("search_console", _gsc_row(clicks=-1), r"rows\[2\]: field 'clicks' must be 0 or more"),
        ("search_console", _gsc_row(impressions="many"), "'impressions' must be a number"),
        ("search_console", _gsc_row(clicks=500), "more clicks than impressions"),
        ("search_console", _gsc_row(position=0), "'position' must be 1 or more"),
        ("search_console", _gsc_row(position=None), "'position' is missing"),
        ("search_console", _gsc_row(keys=["2026-11-11", "MOBILE"]), "one value per requested dimension"),
        ("marketplace_import", _batch(marketplace="craigslist"), "unknown marketplace"),
        ("marketplace_import", _batch(batch_id=None), "'batch_id' is missing"),
        ("marketplace_import", _batch(account_id=""), "'account_id' is missing"),
        ("marketplace_import", _batch(exported_at="2026-11-20T06:15:00"), "no time zone"),
        ("marketplace_import", _batch(period_end="2026-11-19T00:00:00-06:00"), "must be before 'period_end'"),
        ("marketplace_import", _batch(period_start="2026-11-19"), "no time zone"),
        ("marketplace_import", _batch(currency="dollars"), "ISO 4217"),
        ("marketplace_import", _batch(rows=None), "'rows' is missing"),
        ("marketplace_import", _batch(rows=[["530100000000000101", "new", 23.5]]), r"rows\[0\] must be an object"),
        ("marketplace_import", _batch_row(cost=-5), r"rows\[1\]: field 'cost' must be 0 or more"),
        ("marketplace_import", _batch_row(cost="a lot"), "'cost' must be a number"),
        ("marketplace_import", _batch_row(status=["booked"]), "'status' must be text"),
        ("marketplace_import", _batch_row(lead_id="530100000000000101"), "on an earlier row"),
        ("marketplace_import", _batch(rows=[{"lead_id": "1", "status": "sold", "cost": 5}, {}]), "none of the 2 rows"),
    ],
)
def test_bad_input_is_quarantined_with_a_readable_reason(provider: str, body: Any, reason: str) -> None:
    with pytest.raises(Quarantined, match=reason):
        run(provider, body)


@pytest.mark.parametrize("provider", sorted(NORMALIZERS))
def test_the_payload_rules_hold_for_every_sync(provider: str) -> None:
    with pytest.raises(Quarantined, match="empty body"):
        run(provider, b"")
    with pytest.raises(Quarantined, match="body is 102 bytes, over the 64-byte limit"):
        NORMALIZERS[provider](RawDelivery(provider, b"[" + b" " * 100 + b"]"), 64)
    with pytest.raises(Quarantined, match=r"forbidden character U\+202E"):
        run(provider, '{"a": "\u202eevil"}'.encode())


# Integers stay within 64 bits: fields.number raises OverflowError on a larger one (not ours).
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.text(max_size=12)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
_FIXTURES = [
    (path.parent.name, path.name) for path in sorted(PAYLOADS.glob("*/*.json")) if path.parent.name in NORMALIZERS
]


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path to every value inside a decoded JSON document, the document included."""
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    else:
        children = []
    return [path] + [node for key, child in children for node in _nodes(child, (*path, key))]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_damaged_sync_is_read_or_quarantined_never_a_crash(data: st.DataObject) -> None:
    provider, name = data.draw(st.sampled_from(_FIXTURES))
    body = fixture(provider, name)
    *parent, last = data.draw(st.sampled_from(_nodes(body)[1:]))
    container = body
    for key in parent:
        container = container[key]
    container[last] = data.draw(_JSON)
    try:
        events = run(provider, body)
    except Quarantined as exc:
        assert exc.reason
        return
    for event in events:
        assert event.type == EventType.PROVIDER_ENRICHED and event.contact == Contact()
        assert json.loads(json.dumps(event.data)) == event.data
