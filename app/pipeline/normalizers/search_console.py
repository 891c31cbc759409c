"""Google Search Console performance, pulled by the automation layer (Google sends no webhooks).

One delivery per import run: the automation layer calls ``searchanalytics.query`` for one
property, one search type and one date range, pages through the rows, and posts::

    {"site_url": "sc-domain:lakeviewplumbing.example",   # the property, or https://.../
     "import_run_id": "gsc-run-...",                     # unique per run, at most 100 chars
     "pulled_at": "2026-11-18T09:30:00Z",
     "start_date": "2026-11-09", "end_date": "2026-11-15",  # inclusive days, Pacific Time
     "dimensions": ["date"],          # as requested: date, hour, query, page, country,
                                      # device, searchAppearance ([] for totals)
     "search_type": "web",            # optional, Google's default; image, video, news...
     "response": {"rows": [{"keys": ["2026-11-09"], "clicks": 6, "impressions": 240,
                            "ctr": 0.025, "position": 12.5}],
                  "responseAggregationType": "byProperty",
                  "metadata": {"firstIncompleteDate": "2026-11-15"}}}   # only if incomplete

``response`` is the API response as Google returned it (all pages' rows together). It becomes
ONE ``provider.enriched`` event (``account_ref`` = the property, ``synced_at`` = pulled_at)
with totals over the rows: clicks and impressions summed, ctr = clicks / impressions, position
averaged weighted by impressions. ``period_start``/``period_end`` stay Google's inclusive
Pacific-Time days (``YYYY-MM-DD``); ``search_type`` says which results the clicks come from.
Row keys (search terms, pages) are never copied into ``data``.

``mapping_state`` is ``partial`` when the totals are not the property's complete numbers:
the metadata says part of the range is still being collected, or the rows are grouped by query
or page (Google then leaves out anonymized queries and returns top rows only) or aggregated
by page. A response with no rows gives ``metrics: []``: Google returns no rows both for a
site nobody found and for days it has not processed yet, so zeros would be a guess.
"""

from __future__ import annotations

import re
from typing import Any

from app.pipeline import fields as f
from app.pipeline.model import NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.normalizers._enrichment import (
    MAPPED,
    PARTIAL,
    calendar_date,
    enriched,
    located,
    lookup,
    measure,
    metric,
    moment,
    objects,
    present,
    vocabulary,
)
from app.pipeline.payload import parse_json_object

PROVIDER = "search_console"
SOURCE = "Google Search Console"
_DIMENSIONS = vocabulary("date", "hour", "query", "page", "country", "device", "searchAppearance")
_SEARCH_TYPES = vocabulary("web", "image", "video", "news", "discover", "googleNews")
_AGGREGATIONS = vocabulary("auto", "byProperty", "byPage", "byNewsShowcasePanel")
# Grouped by these, Google drops anonymized queries and keeps top rows only.
_LOSSY_DIMENSIONS = {"query", "page"}
_PROPERTY = re.compile(r"^(https?://|sc-domain:)\S+$")


def normalize(delivery: RawDelivery, max_body_bytes: int) -> list[NormalizedEvent]:
    run = parse_json_object(delivery, max_body_bytes)
    site_url = f.text(run, "site_url", required=True, max_chars=2048)
    if not _PROPERTY.match(site_url):
        raise Quarantined("'site_url' is not a Search Console property (https:// or sc-domain:)")
    run_id = f.text(run, "import_run_id", required=True, max_chars=100)
    start, end = calendar_date(run, "start_date"), calendar_date(run, "end_date")
    if start > end:
        raise Quarantined("'start_date' is after 'end_date'")
    requested = _texts(run, "dimensions")
    dimensions = {lookup(_DIMENSIONS, name, "dimension") for name in requested}
    if len(dimensions) != len(requested):
        raise Quarantined("a dimension is listed twice")
    search_type = lookup(_SEARCH_TYPES, f.text(run, "search_type") or "web", "search type")
    response = f.obj(run, "response")
    aggregation = f.text(response, "responseAggregationType")
    if aggregation:
        aggregation = lookup(_AGGREGATIONS, aggregation, "aggregation type")
    rows = objects(response.get("rows", []), "rows", allow_empty=True)
    partial = _incomplete(response) or aggregation == "byPage" or bool(dimensions & _LOSSY_DIMENSIONS)
    return [
        enriched(
            provider=PROVIDER,
            provider_kind="search",
            kind="import",
            provider_id=run_id,
            payload=run,
            source=SOURCE,
            synced_at=moment(run, "pulled_at"),
            account_ref=site_url,
            data={
                "import_batch": run_id,
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "search_type": search_type,
                "metrics": _metrics(rows, len(dimensions)),
                "row_count": len(rows),
                "mapping_state": PARTIAL if partial else MAPPED,
            },
        )
    ]


def _metrics(rows: list[dict[str, Any]], dimension_count: int) -> list[dict[str, Any]]:
    """Totals over the rows; none at all when there are no rows."""
    if not rows:
        return []
    clicks = impressions = ranked = 0.0
    for index, row in enumerate(rows):
        with located(f"rows[{index}]"):
            if len(_texts(row, "keys")) != dimension_count:
                raise Quarantined("'keys' must hold one value per requested dimension")
            row_clicks, row_impressions = measure(row, "clicks"), measure(row, "impressions")
            if row_clicks > row_impressions:
                raise Quarantined("more clicks than impressions")
            if present(row, "ctr"):
                measure(row, "ctr", 0, 1)  # checked only: the total ctr comes from the sums
            ranked += measure(row, "position", 1) * row_impressions
            clicks += row_clicks
            impressions += row_impressions
    totals = [metric("clicks", clicks, "count"), metric("impressions", impressions, "count")]
    if not impressions:
        return totals
    return totals + [
        metric("ctr", clicks / impressions, "ratio"),
        metric("position", ranked / impressions, "rank"),
    ]


def _texts(payload: dict[str, Any], key: str) -> list[str]:
    """An optional list of strings (dimension names, a row's keys)."""
    values = payload.get(key, [])
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise Quarantined(f"field {key!r} must be a list of text values")
    return values


def _incomplete(response: dict[str, Any]) -> bool:
    """Whether Google says part of the range is still being collected (dates checked)."""
    metadata = f.obj(response, "metadata", required=False)
    with located("metadata"):
        if present(metadata, "firstIncompleteDate"):
            calendar_date(metadata, "firstIncompleteDate")
        if present(metadata, "firstIncompleteHour"):
            moment(metadata, "firstIncompleteHour")
    return present(metadata, "firstIncompleteDate") or present(metadata, "firstIncompleteHour")
