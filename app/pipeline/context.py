"""What the pipeline needs to know about the database for one batch, loaded up front.

Planning a batch then runs in plain Python: the clients, their account mappings, service
catalogs, approved templates and stale data sources, the leads the batch's contacts could
match, and the event keys already seen are all read here, in a handful of queries.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.pipeline.drafting import Template
from app.pipeline.model import Contact, NormalizedEvent
from db.models import (
    Client,
    ClientService,
    DataSource,
    Event,
    IntegrationAccount,
    Lead,
    MessageTemplate,
)
from db.queries.consent import EMAIL, PHONE, ContactKey, OptOut, contact_keys, opt_outs
from db.vocab import CRM_ACCOUNT_KIND


@dataclass(frozen=True)
class ClientInfo:
    id: int
    name: str
    timezone: str
    high_value_threshold: Decimal | None
    services: tuple[str, ...]
    has_crm: bool = False  # an active CRM account: quote requests become CRM handoffs


@dataclass
class LeadRecord:
    """A lead as the batch sees it: loaded from the database (``id`` set) or new in it."""

    client_id: int
    name: str
    phone: str | None
    email: str | None
    service: str
    urgency: str
    consent: str
    attribution: dict[str, Any]
    first_seen_at: datetime
    last_event_at: datetime
    source: str
    opted_out: bool = False
    opted_out_at: datetime | None = None
    duplicate_of_id: int | None = None
    id: int | None = None
    changed: bool = False  # an existing lead this batch updated


class LeadIndex:
    """Leads by (client, phone) and (client, email); the most recently active one wins."""

    def __init__(self, leads: Iterable[LeadRecord] = ()) -> None:
        self._by_key: dict[tuple[int, str, str], LeadRecord] = {}
        for lead in leads:
            self.add(lead)

    @staticmethod
    def _keys(client_id: int, phone: str | None, email: str | None) -> list[tuple[int, str, str]]:
        keys = []
        if phone:
            keys.append((client_id, "phone", phone))
        if email:
            keys.append((client_id, "email", email))
        return keys

    def add(self, lead: LeadRecord) -> None:
        for key in self._keys(lead.client_id, lead.phone, lead.email):
            current = self._by_key.get(key)
            if current is None or current.last_event_at <= lead.last_event_at:
                self._by_key[key] = lead

    def find(self, client_id: int, contact: Contact) -> LeadRecord | None:
        for key in self._keys(client_id, contact.phone, contact.email):
            if key in self._by_key:
                return self._by_key[key]
        return None


class ConsentBook:
    """The batch's contacts that are opted out now, kept current as the batch's own STOPs and
    STARTs are planned (a STOP and a new lead in one batch are seen in order)."""

    def __init__(self, opted_out: dict[ContactKey, OptOut] | None = None) -> None:
        self._opted_out = dict(opted_out or {})

    def opt_out_of(self, client_id: int, contact: Contact) -> OptOut | None:
        for key in contact_keys(client_id, contact.phone, contact.email):
            if key in self._opted_out:
                return self._opted_out[key]
        return None

    def record(self, client_id: int, contact: Contact, opt_out: OptOut | None) -> None:
        """``opt_out`` None: the contact opted in."""
        for key in contact_keys(client_id, contact.phone, contact.email):
            if opt_out is None:
                self._opted_out.pop(key, None)
            else:
                self._opted_out[key] = opt_out


@dataclass
class BatchContext:
    now: datetime
    clients: dict[int, ClientInfo]
    accounts: dict[tuple[str, str], int]
    templates: dict[tuple[int | None, str, str], Template]
    stale: dict[int, dict[str, str]]
    sources: dict[tuple[int, str], int]
    leads: LeadIndex = field(default_factory=LeadIndex)
    known_keys: set[str] = field(default_factory=set)
    consents: ConsentBook = field(default_factory=ConsentBook)
    loaded_at: float = 0.0  # when the catalog part was read (time.monotonic)

    def client_for(self, row_client_id: int | None, event: NormalizedEvent) -> ClientInfo | None:
        """The row's client when the intake knew it; else the one the provider account maps to
        (a marketplace import also finds the marketplace's own account mapping)."""
        if row_client_id is not None:
            return self.clients.get(row_client_id)
        if not event.account_ref:
            return None
        for provider in (event.provider, event.data.get("marketplace")):
            client_id = self.accounts.get((str(provider), event.account_ref))
            if client_id is not None:
                return self.clients.get(client_id)
        return None

    def template_for(self, client_id: int, workflow: str, channel: str) -> Template | None:
        """The client's own approved template, else the agency-wide one."""
        return self.templates.get((client_id, workflow, channel)) or self.templates.get((None, workflow, channel))


@dataclass(frozen=True)
class SourceInfo:
    id: int
    client_id: int
    provider: str
    label: str
    freshness_hours: int
    last_synced_at: datetime | None
    active: bool


@dataclass(frozen=True)
class Catalog:
    """What changes rarely: clients, account mappings, templates and data sources."""

    loaded_at: float
    clients: dict[int, ClientInfo]
    accounts: dict[tuple[str, str], int]
    templates: dict[tuple[int | None, str, str], Template]
    sources: tuple[SourceInfo, ...]


def load_catalog(session: Session) -> Catalog:
    services: dict[int, list[str]] = defaultdict(list)
    for client_id, name in session.execute(
        select(ClientService.client_id, ClientService.name).where(ClientService.status == "active")
    ):
        services[client_id].append(name)
    with_crm = set(
        session.scalars(
            select(IntegrationAccount.client_id).where(
                IntegrationAccount.kind == CRM_ACCOUNT_KIND, IntegrationAccount.status == "active"
            )
        )
    )
    clients = {
        c.id: ClientInfo(c.id, c.name, c.timezone, c.high_value_threshold, tuple(services[c.id]), c.id in with_crm)
        for c in session.scalars(select(Client).where(Client.active.is_(True)))
    }
    accounts = {
        (provider, ref): client_id
        for provider, ref, client_id in session.execute(
            select(
                IntegrationAccount.provider, IntegrationAccount.external_account_id, IntegrationAccount.client_id
            ).where(IntegrationAccount.client_id.is_not(None), IntegrationAccount.external_account_id.is_not(None))
        )
    }
    templates = {
        (t.client_id, t.workflow, t.channel): Template(t.id, t.channel, t.body, t.opt_out_text)
        for t in session.scalars(
            select(MessageTemplate)
            .where(MessageTemplate.approved.is_(True), MessageTemplate.active.is_(True))
            .order_by(MessageTemplate.version)
        )
    }
    sources = tuple(
        SourceInfo(s.id, s.client_id, s.provider, s.label, s.freshness_hours, s.last_synced_at, s.status == "active")
        for s in session.scalars(select(DataSource))
    )
    return Catalog(time.monotonic(), clients, accounts, templates, sources)


def _stale_sources(sources: tuple[SourceInfo, ...], now: datetime) -> dict[int, dict[str, str]]:
    stale: dict[int, dict[str, str]] = defaultdict(dict)
    for source in sources:
        if not source.active:
            continue
        if source.last_synced_at is None:
            stale[source.client_id][source.provider] = f"{source.label}: never synced"
        elif now - source.last_synced_at > timedelta(hours=source.freshness_hours):
            hours = int((now - source.last_synced_at).total_seconds() // 3600)
            stale[source.client_id][source.provider] = (
                f"{source.label}: last synced {hours} h ago (limit {source.freshness_hours} h)"
            )
    return dict(stale)


def load_context(
    session: Session,
    now: datetime,
    row_events: list[tuple[int | None, list[NormalizedEvent]]],
    catalog: Catalog | None = None,
) -> BatchContext:
    """Everything the batch's rows (their client id and their events) need."""
    catalog = catalog or load_catalog(session)
    context = BatchContext(
        now,
        catalog.clients,
        catalog.accounts,
        catalog.templates,
        _stale_sources(catalog.sources, now),
        {(s.client_id, s.provider): s.id for s in catalog.sources},
        loaded_at=catalog.loaded_at,
    )
    contacts: dict[int, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    keys: set[str] = set()
    for row_client_id, events in row_events:
        for event in events:
            keys.add(event.idempotency_key)
            client = context.client_for(row_client_id, event)
            if client is None:
                continue
            phones, emails = contacts[client.id]
            if event.contact.phone:
                phones.add(event.contact.phone)
            if event.contact.email:
                emails.add(event.contact.email)
    context.known_keys = _existing_keys(session, keys)
    context.leads = LeadIndex(_matching_leads(session, contacts))
    context.consents = ConsentBook(
        opt_outs(
            session,
            [
                (client_id, kind, value)
                for client_id, (phones, emails) in contacts.items()
                for kind, values in ((PHONE, phones), (EMAIL, {e.lower() for e in emails}))
                for value in values
            ],
        )
    )
    return context


def _existing_keys(session: Session, keys: set[str]) -> set[str]:
    found: set[str] = set()
    ordered = sorted(keys)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        found.update(session.scalars(select(Event.idempotency_key).where(Event.idempotency_key.in_(chunk))))
    return found


def _matching_leads(session: Session, contacts: dict[int, tuple[set[str], set[str]]]) -> list[LeadRecord]:
    leads: list[LeadRecord] = []
    for client_id, (phones, emails) in contacts.items():
        matches = []
        if phones:
            matches.append(Lead.phone.in_(sorted(phones)))
        if emails:
            matches.append(Lead.email.in_(sorted(emails)))
        if not matches:
            continue
        for lead in session.scalars(select(Lead).where(Lead.client_id == client_id, or_(*matches))):
            leads.append(
                LeadRecord(
                    client_id=lead.client_id,
                    name=lead.name,
                    phone=lead.phone,
                    email=lead.email,
                    service=lead.service,
                    urgency=lead.urgency,
                    consent=lead.consent,
                    attribution=dict(lead.attribution or {}),
                    first_seen_at=lead.first_seen_at,
                    last_event_at=lead.last_event_at,
                    source=lead.source,
                    opted_out=lead.opted_out,
                    opted_out_at=lead.opted_out_at,
                    duplicate_of_id=lead.duplicate_of_id,
                    id=lead.id,
                )
            )
    return leads
