"""The HubSpot adapter: contacts and deals through batch upsert on a unique id property, then
the contact-deal associations, 100 handoffs to a request.

Repeats are harmless: a contact is upserted on its email (or, without one, on the custom
unique property ``review_desk_contact_id``), a deal on the custom unique property
``review_desk_id`` (the handoff's idempotency key); both properties must exist in the
portal (Settings → Properties, "unique value"). The published limits are kept by a client-side
limiter (requests per ten seconds); a 429 names its policy: the ten-second one is waited out
and the batch retried, the daily one sends the batch back to the outbox until midnight UTC. A
207 answer is split per record: the records HubSpot refused fail with its message, the others
go on. Every error text carries HubSpot's correlation id.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from app.crm.adapters import DELIVERED, REJECTED, RETRY, Outgoing, PushResult, retry_after

TEN_SECONDS = 10.0
DEAL_FIELDS = ("dealname", "pipeline", "dealstage", "hubspot_owner_id", "description")


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

    def __init__(self, base_url: str, token: str, deals: dict[str, DealSettings] | None = None,
                 limiter: RateLimiter | None = None, timeout_s: float = 20.0,
                 session: requests.Session | None = None) -> None:
        self.base = base_url.rstrip("/") or "https://api.hubapi.com"
        self.deals = deals or {}
        self.limiter = limiter or RateLimiter()
        self.timeout_s = timeout_s
        self.session = session or requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {token}", "Content-Type": "application/json"})

    def push(self, batch: list[Outgoing]) -> list[PushResult]:
        done: dict[int, PushResult] = {}
        try:
            contacts = self._upsert("contacts", [(o, self._contact(o)) for o in batch], done)
            deals = self._upsert("deals", [(o, self._deal(o)) for o in batch if o.handoff_id not in done], done)
            pairs = [(o, deals[o.handoff_id], contacts[o.handoff_id]) for o in batch
                     if o.handoff_id in deals and o.handoff_id in contacts]
            self._associate(pairs)
        except _Retry as retry:
            return [done.get(o.handoff_id) or PushResult(o.handoff_id, RETRY, error=retry.error,
                                                         retry_after_s=retry.after_s) for o in batch]
        except _Rejected as rejected:  # the whole request refused (400): retrying would not help
            return [done.get(o.handoff_id) or PushResult(o.handoff_id, REJECTED, error=str(rejected)) for o in batch]
        for outgoing, deal_id, _contact in pairs:
            done[outgoing.handoff_id] = PushResult(outgoing.handoff_id, DELIVERED, external_id=f"deal:{deal_id}")
        return [done[o.handoff_id] for o in batch]

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
        groups = [{"filters": [{"propertyName": name, "operator": "EQ", "value": contact[name]}]}
                  for name in ("email", "phone") if contact.get(name)]
        found: list[str] = []
        if groups:
            body = self._call("/crm/v3/objects/contacts/search",
                              {"filterGroups": groups, "properties": ["firstname", "lastname", "email", "phone"],
                               "limit": 10})
            for record in body.get("results", []):
                p = record.get("properties") or {}
                name = f"{p.get('firstname') or ''} {p.get('lastname') or ''}".strip() or "(no name)"
                found.append(f"{name} · {p.get('email') or 'no email'} · {p.get('phone') or 'no phone'} (#{record['id']})")
        deal = self._get(f"/crm/v3/objects/deals/{outgoing.key}",
                         {"idProperty": "review_desk_id", "properties": ",".join(DEAL_FIELDS)})
        return found, ({k: str(v) for k, v in (deal.get("properties") or {}).items() if k in DEAL_FIELDS}
                       if deal else None)

    def planned_deal(self, outgoing: Outgoing) -> dict[str, str]:
        return {k: str(v) for k, v in self._deal(outgoing)["properties"].items() if k in DEAL_FIELDS}

    # --- what goes to HubSpot -------------------------------------------------------------

    @staticmethod
    def _contact(o: Outgoing) -> dict[str, Any]:
        contact = o.payload.get("contact") or {}
        first, _, last = str(contact.get("name") or "").partition(" ")
        properties = {"firstname": first, "lastname": last, "phone": contact.get("phone") or ""}
        if contact.get("email"):
            return {"idProperty": "email", "id": contact["email"], "properties": {**properties, "email": contact["email"]}}
        return {"idProperty": "review_desk_contact_id", "id": o.key,
                "properties": {**properties, "review_desk_contact_id": o.key}}

    def _deal(self, o: Outgoing) -> dict[str, Any]:
        deal = o.payload.get("deal") or {}
        chosen = self.deals.get(str(o.payload.get("client") or ""), DealSettings())
        properties = {"dealname": deal.get("name") or "Inquiry", "pipeline": chosen.pipeline,
                      "dealstage": chosen.stage, "description": o.payload.get("note") or "", "review_desk_id": o.key}
        if chosen.owner_id:
            properties["hubspot_owner_id"] = chosen.owner_id
        return {"idProperty": "review_desk_id", "id": o.key, "properties": properties}

    # --- calls ------------------------------------------------------------------------------

    def _upsert(self, kind: str, inputs: list[tuple[Outgoing, dict[str, Any]]],
                done: dict[int, PushResult]) -> dict[int, str]:
        """Upsert; returns the HubSpot id per handoff. Records HubSpot refused go to ``done``."""
        if not inputs:
            return {}
        body = self._call(f"/crm/v3/objects/{kind}/batch/upsert", {"inputs": [i for _, i in inputs]})
        id_properties = {inp["idProperty"] for _, inp in inputs}  # email, or our unique id property
        ids = {str(value).lower(): str(result["id"]) for result in body.get("results", [])
               for name, value in (result.get("properties") or {}).items() if name in id_properties and value}
        refused = {str(value).lower(): error.get("message", "refused") + _correlation(body)
                   for error in body.get("errors", []) for value in (error.get("context") or {}).get("ids", [])}
        found: dict[int, str] = {}
        for outgoing, inp in inputs:
            value = str(inp["id"]).lower()
            if value in ids:
                found[outgoing.handoff_id] = ids[value]
            elif outgoing.handoff_id not in done:
                done[outgoing.handoff_id] = PushResult(outgoing.handoff_id, REJECTED,
                                                       error=f"HubSpot {kind}: {refused.get(value, 'not in the answer')}")
        return found

    def _associate(self, pairs: list[tuple[Outgoing, str, str]]) -> None:
        if pairs:
            self._call("/crm/v4/associations/deals/contacts/batch/associate/default",
                       {"inputs": [{"from": {"id": deal}, "to": {"id": contact}} for _, deal, contact in pairs]})

    def _get(self, path: str, params: dict[str, str]) -> dict[str, Any] | None:
        """A read; None when HubSpot has no such record."""
        self.limiter.wait()
        try:
            response = self.session.get(self.base + path, params=params, timeout=self.timeout_s)
        except requests.RequestException as exc:
            raise _Retry(f"no answer from HubSpot ({type(exc).__name__})", None) from None
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise _Retry(f"HubSpot HTTP {response.status_code}{_correlation(_json(response))}", None)
        return _json(response)

    def _call(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        for _ in range(3):  # a ten-second 429 is waited out here; anything else goes back
            self.limiter.wait()
            try:
                response = self.session.post(self.base + path, json=payload, timeout=self.timeout_s)
            except requests.RequestException as exc:
                raise _Retry(f"no answer from HubSpot ({type(exc).__name__})", None) from None
            body = _json(response)
            if response.status_code in (200, 201, 207):
                return body
            error = f"HubSpot HTTP {response.status_code}: {body.get('message', response.text[:200])}{_correlation(body)}"
            if response.status_code == 429:
                if body.get("policyName") == "DAILY":
                    raise _Retry(error, _until_midnight_utc())
                time.sleep(retry_after(response.headers.get("Retry-After")) or 1.0)
                continue
            if response.status_code >= 500 or response.status_code in (401, 403, 408, 409):
                # 401/403: the token may be fixed; three in a day pause the CRM workflow
                raise _Retry(error, retry_after(response.headers.get("Retry-After")))
            raise _Rejected(error)
        raise _Retry("HubSpot kept answering 429 (ten-second limit)", TEN_SECONDS)


class _Rejected(Exception):
    pass


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _correlation(body: dict[str, Any]) -> str:
    return f" (correlation id {body['correlationId']})" if body.get("correlationId") else ""


def _until_midnight_utc() -> float:
    now = datetime.now(UTC)
    return ((now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0) - now).total_seconds()
