"""Demo data: a small agency's catalog and realistic raw provider deliveries.

Deliveries are written into ``webhook_events`` exactly as the automation layer would write
them (raw bodies, provider headers), so the demo exercises the real pipeline. Phone numbers
use the 555-01xx range reserved for fiction; emails use example domains.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import (
    Client,
    ClientService,
    DataSource,
    IntegrationAccount,
    MessageTemplate,
    Project,
    User,
    WebhookEvent,
)
from db.types import utcnow
from db.vocab import CRM_ACCOUNT_KIND, Role, WebhookStatus

DEMO_CRM_CLIENT = "brightline-hvac"
DEMO_CLIENTS = {
    "northside-plumbing": (
        "Northside Plumbing",
        ["Water heater repair", "Drain cleaning", "Leak detection", "Repiping"],
    ),
    "brightline-hvac": (
        "Brightline HVAC",
        ["Furnace repair", "AC installation", "Duct cleaning", "Heat pump service"],
    ),
    "cedar-roofing": (
        "Cedar Roofing Co",
        ["Roof inspection", "Roof replacement", "Gutter repair", "Storm damage repair"],
    ),
}
DEMO_USERS = (
    ("demo.reviewer", "Riley Reviewer", Role.REVIEWER),
    ("demo.supervisor", "Sam Supervisor", Role.SUPERVISOR),
)
_FIRST = [
    "Maria",
    "James",
    "Aisha",
    "Tom",
    "Priya",
    "Diego",
    "Hannah",
    "Kwame",
    "Lena",
    "Omar",
    "Grace",
    "Victor",
    "Mei",
    "Carlos",
    "Ruth",
    "Andre",
    "Sofia",
    "Ben",
    "Nadia",
    "Luis",
]
_LAST = [
    "Lopez",
    "Carter",
    "Nguyen",
    "Brennan",
    "Patel",
    "Okafor",
    "Schmidt",
    "Rossi",
    "Kim",
    "Haddad",
    "Fischer",
    "Moreau",
    "Silva",
    "Walsh",
    "Yamamoto",
    "Adeyemi",
]
# Real area codes; with the fictional 555-0100..0199 block that is 4,000 distinct numbers.
_AREA = [
    "201",
    "202",
    "203",
    "205",
    "206",
    "207",
    "208",
    "209",
    "210",
    "212",
    "213",
    "214",
    "215",
    "216",
    "217",
    "218",
    "219",
    "224",
    "225",
    "228",
    "229",
    "231",
    "234",
    "239",
    "240",
    "248",
    "251",
    "252",
    "253",
    "254",
    "256",
    "260",
    "262",
    "267",
    "269",
    "270",
    "272",
    "276",
    "281",
    "301",
]
_MESSAGES = [
    "Water is leaking under the kitchen sink, can someone come this week?",
    "Need an estimate, ideally before the weekend.",
    "EMERGENCY - pipe burst in the basement, water everywhere!",
    "Can you match the $2,400 quote I got from another company?",
    "My landlord said to call you. Is there a free estimate?",
    "Our unit stopped working and we have a newborn at home, please hurry.",
    "I want to know if this is covered by my insurance claim from the storm.",
    "Please call me at 415-555-0137 after 5pm, not before.",
    "Looking for a price for the whole house, 3 bedrooms.",
    "Last technician left a mess, I am not happy and may talk to a lawyer.",
    "Just checking availability next month, no rush.",
    "",
]
# Agency-wide approved templates: (workflow, channel, body, opt-out text).
DEMO_TEMPLATES = (
    (
        "missed_call_textback",
        "sms",
        "Hi {first_name}, sorry we missed your call to {client_name}. We'll call you back shortly,"
        " or reply here with a good time to reach you.",
        "Reply STOP to opt out.",
    ),
    (
        "new_lead_follow_up",
        "sms",
        "Hi {first_name}, thanks for contacting {client_name} about {service}. When is a good time for a quick call?",
        "Reply STOP to opt out.",
    ),
    (
        "new_lead_follow_up",
        "email",
        "Hi {first_name}, thank you for reaching out to {client_name} about {service}. A member of"
        " our team will contact you shortly to find a time that suits you.",
        "To stop these emails, reply UNSUBSCRIBE.",
    ),
    (
        "quote_follow_up",
        "sms",
        "Hi {first_name}, {client_name} received your quote request for {service}. We'll confirm"
        " the details with you before preparing it.",
        "Reply STOP to opt out.",
    ),
    (
        "quote_follow_up",
        "email",
        "Hi {first_name}, {client_name} received your quote request for {service}. We'll confirm"
        " the details with you before preparing the quote.",
        "To stop these emails, reply UNSUBSCRIBE.",
    ),
)
_SOURCES = [
    ("Google Ads", "google", "cpc"),
    ("Google Organic", "google", "organic"),
    ("Facebook", "facebook", "paid_social"),
    ("Direct", "", ""),
    ("Yelp", "yelp", "referral"),
]
_TIMELINES = ["emergency", "asap", "this week", "flexible", ""]


@dataclass(frozen=True)
class DemoDelivery:
    provider: str
    body: bytes
    headers: dict[str, str]
    content_type: str = "application/json"


def ensure_demo_catalog(session: Session) -> dict[str, int]:
    """Create the demo clients, services, integration accounts and users if missing."""
    ids: dict[str, int] = {}
    for slug, (name, services) in DEMO_CLIENTS.items():
        client = session.scalar(select(Client).where(Client.slug == slug))
        if client is None:
            client = Client(slug=slug, name=name, timezone="America/Chicago")
            session.add(client)
            session.flush()
            project = Project(client_id=client.id, name=f"{name} lead handling")
            session.add(project)
            session.flush()
            for service in services:
                code = service.lower().replace(" ", "_")
                session.add(ClientService(client_id=client.id, project_id=project.id, code=code, name=service))
            session.add(
                IntegrationAccount(
                    client_id=client.id,
                    provider="callrail",
                    kind="call_tracking",
                    label=f"CallRail – {name}",
                    external_account_id=f"COM{client.id:06d}",
                )
            )
            if slug == DEMO_CRM_CLIENT:  # its quote requests become CRM handoffs
                session.add(
                    IntegrationAccount(
                        client_id=client.id, provider="hubspot", kind=CRM_ACCOUNT_KIND, label=f"HubSpot – {name}"
                    )
                )
            now = utcnow()
            session.add_all(
                [
                    DataSource(
                        client_id=client.id,
                        provider="callrail",
                        kind="call_tracking",
                        label="CallRail calls",
                        freshness_hours=24,
                        last_synced_at=now - timedelta(hours=2),
                    ),
                    DataSource(
                        client_id=client.id,
                        provider="search_console",
                        kind="search",
                        label="Search Console",
                        freshness_hours=72,
                        last_synced_at=now - timedelta(days=5),
                    ),
                ]
            )
        ids[slug] = client.id
    for workflow, channel, body, opt_out in DEMO_TEMPLATES:
        ensure_template(session, workflow, channel, body, opt_out)
    for login, display, role in DEMO_USERS:
        if session.scalar(select(User).where(User.login == login)) is None:
            session.add(User(login=login, display_name=display, role=role))
    session.flush()
    return ids


def ensure_template(session: Session, workflow: str, channel: str, body: str, opt_out: str, **more: str) -> None:
    """An approved agency-wide template for ``workflow`` and ``channel``, unless one exists.
    (``more``: columns newer than the catalog's, which older schemas in the tests lack.)"""
    exists = session.scalar(
        select(MessageTemplate.id).where(
            MessageTemplate.client_id.is_(None),
            MessageTemplate.workflow == workflow,
            MessageTemplate.channel == channel,
        )
    )
    if exists is None:
        session.add(
            MessageTemplate(
                client_id=None,
                name=f"{workflow} ({channel})",
                workflow=workflow,
                channel=channel,
                body=body,
                opt_out_text=opt_out,
                approved=True,
                approved_at=utcnow(),
                **more,
            )
        )


def _phone(rng: random.Random) -> str:
    return f"+1{rng.choice(_AREA)}5550{rng.randint(100, 199)}"


def _person(rng: random.Random) -> tuple[str, str, str]:
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    email = f"{first}.{last}{rng.randint(1, 99)}@example.com".lower()
    return f"{first} {last}", _phone(rng), email


def web_form_delivery(rng: random.Random, services: list[str], at: datetime) -> DemoDelivery:
    name, phone, email = _person(rng)
    source, utm_source, utm_medium = rng.choice(_SOURCES)
    form_type = rng.choice(["contact", "contact", "quote"])
    body: dict[str, Any] = {
        "form_id": f"{form_type}-main",
        "form_type": form_type,
        "submission_id": f"sub_{uuid.UUID(int=rng.getrandbits(128)).hex[:20]}",
        "submitted_at": at.isoformat().replace("+00:00", "Z"),
        "page_url": "https://www.example.com/" + rng.choice(["contact", "services", "quote"]),
        "fields": {
            "name": name,
            "phone": f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}",
            "email": email,
            "service": rng.choice(services),
            "message": rng.choice(_MESSAGES),
            "zip": f"6{rng.randint(1000, 9999)}",
            "timeline": rng.choice(_TIMELINES),
        },
        "consent": {"sms": rng.random() < 0.8, "email": True, "text": "I agree to be contacted about my request."},
        "utm": {"source": utm_source, "medium": utm_medium, "campaign": "fall-promo"},
    }
    if form_type == "quote":
        body["fields"]["budget"] = str(rng.choice([500, 1200, 2400, 8000, 15000]))
    return DemoDelivery("web_form", json.dumps(body).encode(), {"User-Agent": "FormRelay/2.1"})


def callrail_delivery(rng: random.Random, company_id: str, at: datetime) -> DemoDelivery:
    name, phone, _ = _person(rng)
    answered = rng.random() < 0.35
    voicemail = not answered and rng.random() < 0.5
    source, utm_source, utm_medium = rng.choice(_SOURCES)
    call_id = f"CAL{uuid.UUID(int=rng.getrandbits(128)).hex[:28]}"
    body = {
        "id": rng.randint(10**8, 10**9),
        "resource_id": call_id,
        "answered": answered,
        "call_type": "answered" if answered else ("voicemail" if voicemail else "missed"),
        "voicemail": voicemail,
        "customer_name": name.upper() if rng.random() < 0.5 else "",
        "customer_phone_number": phone,
        "customer_city": "Chicago",
        "customer_state": "IL",
        "tracking_phone_number": f"+1{rng.choice(_AREA)}5550{rng.randint(100, 199)}",
        "business_phone_number": f"+1{rng.choice(_AREA)}5550{rng.randint(100, 199)}",
        "start_time": at.isoformat(),
        "duration": rng.randint(20, 600) if answered else rng.randint(0, 40),
        "direction": "inbound",
        "first_call": rng.random() < 0.7,
        "source": source,
        "source_name": source,
        "company_id": company_id,
        "utm_source": utm_source,
        "utm_medium": utm_medium,
        "transcription": rng.choice(_MESSAGES) if voicemail else "",
    }
    headers = {"Content-Type": "application/json", "Signature": "demo-unsigned"}
    return DemoDelivery("callrail", json.dumps(body).encode(), headers)


def write_demo_events(session: Session, count: int, seed: int | None = None) -> int:
    """Write ``count`` raw deliveries spread over the demo clients; returns how many. (The
    roster, the lifecycle's templates and older leads are ``app.demo_team``'s.)"""
    rng = random.Random(seed)
    client_ids = ensure_demo_catalog(session)
    services = {
        cid: list(session.scalars(select(ClientService.name).where(ClientService.client_id == cid)))
        for cid in client_ids.values()
    }
    accounts: dict[int | None, str | None] = {
        client_id: account
        for client_id, account in session.execute(
            select(IntegrationAccount.client_id, IntegrationAccount.external_account_id).where(
                IntegrationAccount.provider == "callrail"
            )
        )
    }
    now = utcnow()
    rows = []
    for _ in range(count):
        client_id = rng.choice(list(client_ids.values()))
        # Most deliveries are recent, a tail is hours old: the queue shows every SLA state.
        at = now - timedelta(minutes=min(72 * 60, 1 + rng.expovariate(1 / 150)))
        if rng.random() < 0.55:
            delivery = web_form_delivery(rng, services[client_id], at)
        else:
            delivery = callrail_delivery(rng, accounts.get(client_id) or "COM0", at)
        rows.append(
            WebhookEvent(
                provider=delivery.provider,
                client_id=client_id,
                received_at=at,
                content_type=delivery.content_type,
                headers=delivery.headers,
                body=delivery.body,
                owner="intake",
                source=delivery.provider,
                status=WebhookStatus.NEW,
                recovery="replay: set status back to new",
            )
        )
    session.add_all(rows)
    session.flush()
    return len(rows)


def has_any_webhook_events(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(WebhookEvent)))
