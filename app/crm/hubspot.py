"""The HubSpot adapter: contacts and deals through batch upsert on a unique id property, then
the contact-deal associations, 100 handoffs to a request.

Repeats are harmless: a contact is upserted on its email (or, without one, on the custom
unique property ``review_desk_contact_id``), a deal on the custom unique property
``review_desk_id`` (the handoff's idempotency key); both properties must exist in the
portal (Settings → Properties, "unique value"). A lead's stage change moves the stage of the
deal its first pushed handoff made (upserted on that handoff's key: only ``dealstage`` and, when
lost, ``closed_lost_reason``), or makes the lead's deal at that stage. The published limits
are kept by a client-side limiter (requests per ten seconds); a 429 on the daily limit (its
``policyName``, or without one the daily-remaining header at 0 or a message naming the daily
limit) sends the batch back to the outbox until midnight UTC, any other 429 is waited out and
the request sent again.

A 207 (or 200) answer is read per record. Each input carries an ``objectWriteTraceId`` (the
handoff id), and results and errors are matched to inputs by the id property's value where
HubSpot echoes it, else by that trace id. A refused record fails with HubSpot's message, the
property names, category and correlation id, as rejected (validation and the like) or retried
(rate limits, server trouble, authentication); a record the answer does not account for is
retried, saying so. Every error text carries HubSpot's correlation id. The lead's own values
are blanked out of HubSpot's messages, since these texts are logged.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from app.crm.adapters import (
    DELIVERED,
    REJECTED,
    RETRY,
    RETRYABLE_STATUS,
    HandoffPreview,
    Outgoing,
    PushResult,
    lead_fields,
    retry_after,
)

TEN_SECONDS = 10.0
DEAL_FIELDS = ("dealname", "pipeline", "dealstage", "hubspot_owner_id", "description", "closed_lost_reason")
TRACE = "objectWriteTraceId"
# Not the lead's data (settings and our own keys): left as they are in HubSpot's messages.
NOT_LEAD_DATA = frozenset(
    {"pipeline", "dealstage", "hubspot_owner_id", "review_desk_id", "review_desk_contact_id", "closed_lost_reason"}
)
# Words of a per-record error category that mean "try again": limits, server trouble, a token to fix.
TRANSIENT = ("RATE_LIMIT", "INTERNAL", "SERVER", "UNAVAILABLE", "TIMEOUT", "LOCKED", "AUTHENTICATION", "SCOPES")
LOCATIONS = frozenset({"body", "path", "query", "header", "headers"})  # an error's ``in`` that names no property
_DAILY = re.compile(r"\bdaily\b", re.IGNORECASE)
_EMBEDDED_LIST = re.compile(r"(\[\s*\{.*\}\s*\])", re.DOTALL)  # "Property values were not valid: [{...}]"


class RateLimiter:
    """At most ``per_window`` requests in any ``window_s`` seconds (a sliding window)."""

    def __init__(self, per_window: int = 100, window_s: float = TEN_SECONDS) -> None:
        self.per_window, self.window_s = per_window, window_s
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()

    def wait(self) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                while self._sent and now - self._sent[0] >= self.window_s:
                    self._sent.popleft()
                if len(self._sent) < self.per_window:
                    self._sent.append(now)
                    return
                pause = self.window_s - (now - self._sent[0])
            time.sleep(max(pause, 0.001))


@dataclass(frozen=True)
class DealSettings:
    """Per client: where new deals go and who owns them."""

    pipeline: str = "default"
    stage: str = "appointmentscheduled"
    owner_id: str | None = None


def parse_deal_mapping(text: str) -> dict[str, DealSettings]:
    """Settings text to per-client deal settings: ``Client name = pipeline/stage[/owner id]``,
    one client per line or separated by ``;``. A malformed part raises ValueError naming it."""
    mapping: dict[str, DealSettings] = {}
    for part in filter(None, (p.strip() for p in text.replace("\n", ";").split(";"))):
        client, sep, target = part.partition("=")
        fields = [f.strip() for f in target.split("/")]
        if not sep or not client.strip() or len(fields) not in (2, 3) or not all(fields):
            raise ValueError(f"cannot read {part!r}: write 'Client name = pipeline/stage' or '.../owner id'")
        mapping[client.strip()] = DealSettings(fields[0], fields[1], fields[2] if len(fields) == 3 else None)
    return mapping


class LookupFailed(Exception):
    """The CRM could not be asked (the preview says so; the push is unaffected)."""


class _Retry(Exception):
    def __init__(self, error: str, after_s: float | None) -> None:
        super().__init__(error)
        self.error, self.after_s = error, after_s


class HubSpot:
    name = "hubspot"

    def __init__(
        self,
        base_url: str,
        token: str,
        deals: dict[str, DealSettings] | None = None,
        limiter: RateLimiter | None = None,
        timeout_s: float = 20.0,
        session: requests.Session | None = None,
    ) -> None:
        self.base = base_url.rstrip("/") or "https://api.hubapi.com"
        self.deals = deals or {}
        self.limiter = limiter or RateLimiter()
        self.timeout_s = timeout_s
        self.session = session or requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {token}", "Content-Type": "application/json"})

    def push(self, batch: list[Outgoing]) -> list[PushResult]:
        """In rounds where no two handoffs move the same deal (a batch upsert takes an id once),
        in the batch's order: a lead's stage changes reach its deal in the order approved."""
        rounds: list[list[Outgoing]] = []
        seen: dict[str, int] = {}
        for outgoing in batch:
            key = _deal_key(outgoing)
            seen[key] = seen.get(key, -1) + 1
            if seen[key] == len(rounds):
                rounds.append([])
            rounds[seen[key]].append(outgoing)
        results = {r.handoff_id: r for part in rounds for r in self._push_round(part)}
        return [results[o.handoff_id] for o in batch]

    def _push_round(self, batch: list[Outgoing]) -> list[PushResult]:
        done: dict[int, PushResult] = {}
        try:
            contacts = self._upsert("contacts", [(o, self._contact(o)) for o in batch], done)
            deals = self._upsert("deals", [(o, self._deal(o)) for o in batch if o.handoff_id not in done], done)
            pairs = [
                (o, deals[o.handoff_id], contacts[o.handoff_id])
                for o in batch
                if o.handoff_id in deals and o.handoff_id in contacts
            ]
            self._associate(pairs)
        except _Retry as retry:
            return [
                done.get(o.handoff_id)
                or PushResult(o.handoff_id, RETRY, error=retry.error, retry_after_s=retry.after_s)
                for o in batch
            ]
        except _Rejected as rejected:  # the whole request refused (400): retrying would not help
            return [done.get(o.handoff_id) or PushResult(o.handoff_id, REJECTED, error=str(rejected)) for o in batch]
        for outgoing, deal_id, _contact in pairs:
            done[outgoing.handoff_id] = PushResult(outgoing.handoff_id, DELIVERED, external_id=f"deal:{deal_id}")
        return [done[o.handoff_id] for o in batch]

    def preview(self, outgoing: Outgoing) -> HandoffPreview:
        """The fields, HubSpot's contacts with the lead's email or phone, and what would change
        in the deal if this handoff was pushed before (read requests only)."""
        planned = self.planned_deal(outgoing)
        fields = [
            *lead_fields(outgoing),
            ("Pipeline / stage", f"{planned.get('pipeline', 'its pipeline')} / {planned['dealstage']}"),
            ("Owner", planned.get("hubspot_owner_id", "unassigned")),
            ("Note", planned.get("description", "not sent: the deal keeps its description")),
        ]
        try:
            duplicates, existing = self.lookup(outgoing)
        except LookupFailed as exc:
            return HandoffPreview("HubSpot", fields, remark=f"Could not ask HubSpot: {exc}")
        if existing is None:
            return HandoffPreview("HubSpot", fields, duplicates, remark="A new deal.")
        changes = [
            (name, existing.get(name, ""), value) for name, value in planned.items() if existing.get(name, "") != value
        ]
        return HandoffPreview(
            "HubSpot", fields, duplicates, changes, "" if changes else "The deal in HubSpot is the same."
        )

    def lookup(self, outgoing: Outgoing) -> tuple[list[str], dict[str, str] | None]:
        """Before a push: the CRM's contacts with this email or phone (a duplicate check), and
        the deal as the CRM has it now, if this handoff was pushed before. Raises
        ``LookupFailed`` with the reason when HubSpot cannot be asked."""
        try:
            return self._lookup(outgoing)
        except (_Retry, _Rejected) as exc:
            raise LookupFailed(str(exc)) from None

    def _lookup(self, outgoing: Outgoing) -> tuple[list[str], dict[str, str] | None]:
        contact = outgoing.payload.get("contact") or {}
        groups = [
            {"filters": [{"propertyName": name, "operator": "EQ", "value": contact[name]}]}
            for name in ("email", "phone")
            if contact.get(name)
        ]
        found: list[str] = []
        if groups:
            body, _ = self._call(
                "/crm/v3/objects/contacts/search",
                {"filterGroups": groups, "properties": ["firstname", "lastname", "email", "phone"], "limit": 10},
            )
            for record in body.get("results", []):
                p = record.get("properties") or {}
                name = f"{p.get('firstname') or ''} {p.get('lastname') or ''}".strip() or "(no name)"
                found.append(
                    f"{name} · {p.get('email') or 'no email'} · {p.get('phone') or 'no phone'} (#{record['id']})"
                )
        deal = self._get(
            f"/crm/v3/objects/deals/{_deal_key(outgoing)}",
            {"idProperty": "review_desk_id", "properties": ",".join(DEAL_FIELDS)},
        )
        return found, (
            {k: str(v) for k, v in (deal.get("properties") or {}).items() if k in DEAL_FIELDS} if deal else None
        )

    def planned_deal(self, outgoing: Outgoing) -> dict[str, str]:
        return {k: str(v) for k, v in self._deal(outgoing)["properties"].items() if k in DEAL_FIELDS}

    # --- what goes to HubSpot -------------------------------------------------------------

    @staticmethod
    def _contact(o: Outgoing) -> dict[str, Any]:
        contact = o.payload.get("contact") or {}
        first, _, last = str(contact.get("name") or "").partition(" ")
        properties = {"firstname": first, "lastname": last, "phone": contact.get("phone") or ""}
        if contact.get("email"):
            return {
                "idProperty": "email",
                "id": contact["email"],
                TRACE: str(o.handoff_id),
                "properties": {**properties, "email": contact["email"]},
            }
        return {
            "idProperty": "review_desk_contact_id",
            "id": o.key,
            TRACE: str(o.handoff_id),
            "properties": {**properties, "review_desk_contact_id": o.key},
        }

    def _deal(self, o: Outgoing) -> dict[str, Any]:
        """The deal's upsert input. A stage change of a lead whose deal an earlier handoff made
        (``stage.deal``, that handoff's key) moves that deal's stage and nothing else; any other
        handoff makes (or, repeated, rewrites) its own deal, at the mapped stage if it has one."""
        deal, stage = o.payload.get("deal") or {}, o.payload.get("stage") or {}
        key = _deal_key(o)
        if stage.get("deal"):
            properties = {"dealstage": stage["crm_stage"], "review_desk_id": key}
        else:
            chosen = self.deals.get(str(o.payload.get("client") or ""), DealSettings())
            properties = {
                "dealname": deal.get("name") or "Inquiry",
                "pipeline": chosen.pipeline,
                "dealstage": stage.get("crm_stage") or chosen.stage,
                "description": o.payload.get("note") or "",
                "review_desk_id": key,
            }
            if chosen.owner_id:
                properties["hubspot_owner_id"] = chosen.owner_id
        if stage.get("lost_reason"):
            properties["closed_lost_reason"] = stage["lost_reason"]
        return {"idProperty": "review_desk_id", "id": key, TRACE: str(o.handoff_id), "properties": properties}

    # --- calls ------------------------------------------------------------------------------

    def _upsert(
        self, kind: str, inputs: list[tuple[Outgoing, dict[str, Any]]], done: dict[int, PushResult]
    ) -> dict[int, str]:
        """Upsert; returns the HubSpot id per handoff. Records HubSpot refused, or did not
        account for, go to ``done``."""
        if not inputs:
            return {}
        body, correlation = self._call(f"/crm/v3/objects/{kind}/batch/upsert", {"inputs": [i for _, i in inputs]})
        answer = _UpsertAnswer(kind, body, correlation, [i for _, i in inputs])
        found: dict[int, str] = {}
        for outgoing, inp in inputs:
            record_id = answer.record_id(inp)
            if record_id is not None:
                found[outgoing.handoff_id] = record_id
            elif outgoing.handoff_id not in done:
                outcome, error = answer.refusal(inp)
                done[outgoing.handoff_id] = PushResult(outgoing.handoff_id, outcome, error=error)
        return found

    def _associate(self, pairs: list[tuple[Outgoing, str, str]]) -> None:
        if pairs:
            self._call(
                "/crm/v4/associations/deals/contacts/batch/associate/default",
                {"inputs": [{"from": {"id": deal}, "to": {"id": contact}} for _, deal, contact in pairs]},
            )

    def _get(self, path: str, params: dict[str, str]) -> dict[str, Any] | None:
        """A read; None when HubSpot has no such record."""
        self.limiter.wait()
        try:
            response = self.session.get(self.base + path, params=params, timeout=self.timeout_s)
        except requests.RequestException as exc:
            raise _Retry(f"no answer from HubSpot ({type(exc).__name__})", None) from None
        if response.status_code == 404:
            return None
        body = _json(response)
        if response.status_code != 200:
            raise _Retry(f"HubSpot HTTP {response.status_code}{_said(_correlation_id(body, response))}", None)
        return body

    def _call(self, path: str, payload: dict[str, Any]) -> tuple[dict[str, Any], str]:
        """A write or search: HubSpot's answer and its correlation id."""
        for _ in range(3):  # a ten-second 429 is waited out here; anything else goes back
            self.limiter.wait()
            try:
                response = self.session.post(self.base + path, json=payload, timeout=self.timeout_s)
            except requests.RequestException as exc:
                raise _Retry(f"no answer from HubSpot ({type(exc).__name__})", None) from None
            body = _json(response)
            correlation = _correlation_id(body, response)
            if response.status_code in (200, 201, 207):
                return body, correlation
            error = (
                f"HubSpot HTTP {response.status_code}: {body.get('message', response.text[:200])}{_said(correlation)}"
            )
            if response.status_code == 429:
                daily = _daily_limit(body, response.headers)
                if daily:
                    raise _Retry(
                        f"HubSpot's daily limit is used up ({daily}); back after midnight UTC. {error}",
                        _until_midnight_utc(),
                    )
                time.sleep(retry_after(response.headers.get("Retry-After")) or 1.0)
                continue
            if response.status_code >= 500 or response.status_code in (401, 403, 408, 409):
                # 401/403: the token may be fixed; three in a day pause the CRM workflow
                raise _Retry(error, retry_after(response.headers.get("Retry-After")))
            raise _Rejected(error)
        raise _Retry("HubSpot kept answering 429 (ten-second limit)", TEN_SECONDS)


class _Rejected(Exception):
    pass


def _deal_key(o: Outgoing) -> str:
    """The deal's ``review_desk_id``: the earlier handoff's whose deal a stage change moves, else this one's."""
    return str((o.payload.get("stage") or {}).get("deal") or o.key)


class _UpsertAnswer:
    """A batch upsert's answer, per input: HubSpot's id for the record, or why there is none."""

    def __init__(self, kind: str, body: dict[str, Any], correlation: str, inputs: list[dict[str, Any]]) -> None:
        self.kind, self.correlation = kind, correlation
        id_properties = {inp["idProperty"] for inp in inputs}  # email, or our unique id property
        self.ids: dict[tuple[str, str], str] = {}  # (id property or TRACE, value) -> HubSpot's id
        for result in _dicts(body.get("results")):
            if result.get("id") is None:
                continue
            echoed = [
                (name, str(value).lower())
                for name, value in _mapping(result.get("properties")).items()
                if name in id_properties and value
            ]
            for key in echoed + [(TRACE, trace) for trace in _traces(result)]:
                self.ids[key] = str(result["id"])
        self.errors: dict[tuple[str, str], dict[str, Any]] = {}  # ("ids" or TRACE, value) -> HubSpot's error
        self.unnamed: list[dict[str, Any]] = []  # errors that name no record
        for error in _dicts(body.get("errors")):
            named = _strings(_mapping(error.get("context")).get("ids")) + _strings(error.get("id"))
            keys = [("ids", value.lower()) for value in named]
            keys += [(TRACE, trace) for trace in _traces(error)]
            self.errors.update((key, error) for key in keys)
            if not keys:
                self.unnamed.append(error)
        values = {
            str(v)
            for inp in inputs
            for k, v in inp["properties"].items()
            if k not in NOT_LEAD_DATA and len(str(v)) >= 3
        }  # shorter ones would blank HubSpot's words
        longest_first = sorted(values, key=len, reverse=True)
        self._lead_values = (
            re.compile("|".join(f"(?<!\\w){re.escape(v)}(?!\\w)" for v in longest_first), re.IGNORECASE)
            if values
            else None
        )

    def record_id(self, inp: dict[str, Any]) -> str | None:
        return self.ids.get((inp["idProperty"], str(inp["id"]).lower())) or self.ids.get((TRACE, inp[TRACE]))

    def refusal(self, inp: dict[str, Any]) -> tuple[str, str]:
        """The outcome and the error text for an input with no record in the answer."""
        error = self.errors.get(("ids", str(inp["id"]).lower())) or self.errors.get((TRACE, inp[TRACE]))
        if error is not None:
            return (RETRY if _transient(error) else REJECTED), f"HubSpot {self.kind} refused it {self._describe(error)}"
        unnamed = "; ".join(self._describe(e) for e in self.unnamed)
        said = f"; it refused records without naming them: {unnamed}" if unnamed else _said(self.correlation)
        return RETRY, f"HubSpot {self.kind}: HubSpot's answer did not say what became of this record{said}"

    def _describe(self, error: dict[str, Any]) -> str:
        """``(category / codes; property names; correlation id): message``, HubSpot's words
        without the lead's values."""
        details = _dicts(error.get("errors"))
        said = _unique([error.get("message")] + [d.get("message") for d in details])
        message = "; ".join(self._blank(m) for m in said if not any(m != other and m in other for other in said))
        codes = _unique(
            [error.get("category"), error.get("subCategory")]
            + [d.get("code") for d in details]
            + [d.get("subCategory") for d in details]
        )
        properties = _unique(
            [name for d in [error, *details] for name in _property_names(d)]
            + _embedded_names(str(error.get("message") or ""))
        )
        correlation = str(error.get("correlationId") or self.correlation)
        parts = [
            " / ".join(codes),
            f"property {', '.join(properties)}" if properties else "",
            f"correlation id {correlation}" if correlation else "",
        ]
        return f"({'; '.join(p for p in parts if p) or 'no details'}): {message or 'no message'}"

    def _blank(self, text: str) -> str:
        return self._lead_values.sub("…", text) if self._lead_values else text


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    """A JSON string, number or list of them, as strings (HubSpot's context values are lists)."""
    values = value if isinstance(value, list) else [value]
    return [str(v) for v in values if isinstance(v, str | int) and not isinstance(v, bool) and str(v)]


def _traces(entry: dict[str, Any]) -> list[str]:
    """An entry's objectWriteTraceId: on the entry itself or listed in its context."""
    return _strings(entry.get(TRACE)) + _strings(_mapping(entry.get("context")).get(TRACE))


def _property_names(entry: dict[str, Any]) -> list[str]:
    named = _strings(_mapping(entry.get("context")).get("propertyName"))
    return named or [where for where in _strings(entry.get("in")) if where.lower() not in LOCATIONS]


def _embedded_names(message: str) -> list[str]:
    """The property names in a message that embeds HubSpot's validation list, e.g.
    ``Property values were not valid: [{"isValid":false,...,"name":"email"}]``."""
    found = _EMBEDDED_LIST.search(message)
    try:
        listed = json.loads(found.group(1)) if found else []
    except ValueError:
        return []
    return [str(item["name"]) for item in _dicts(listed) if item.get("name")]


def _unique(values: list[Any]) -> list[str]:
    return list(dict.fromkeys(str(v) for v in values if isinstance(v, str) and v))


def _transient(error: dict[str, Any]) -> bool:
    """Worth retrying: a retryable HTTP status, or a category that names a limit, server
    trouble or authentication. Validation, conflicts and the rest are final."""
    status = str(error.get("status") or "")
    if status.isdigit():
        return int(status) in RETRYABLE_STATUS or int(status) >= 500
    words = " ".join(_unique([error.get("category"), error.get("subCategory")])).upper()
    return any(word in words for word in TRANSIENT)


def _daily_limit(body: dict[str, Any], headers: Any) -> str:
    """Why a 429 is the daily limit, or "" when it is not: its ``policyName`` decides; without
    one, the daily-remaining header at 0 or a message naming the daily limit."""
    policy = str(body.get("policyName") or "")
    if policy:
        return "policy DAILY" if policy.upper() == "DAILY" else ""
    remaining = str(headers.get("X-HubSpot-RateLimit-Daily-Remaining") or "").strip()
    if remaining.isdigit() and int(remaining) == 0:
        return "X-HubSpot-RateLimit-Daily-Remaining: 0"
    return "HubSpot's message names the daily limit" if _DAILY.search(str(body.get("message") or "")) else ""


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _correlation_id(body: dict[str, Any], response: requests.Response) -> str:
    return str(body.get("correlationId") or response.headers.get("X-HubSpot-Correlation-Id") or "")


def _said(correlation: str) -> str:
    return f" (correlation id {correlation})" if correlation else ""


def _until_midnight_utc() -> float:
    now = datetime.now(UTC)
    return ((now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0) - now).total_seconds()
