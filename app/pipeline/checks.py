"""Checks that run before anything client-facing: duplicate, spam, provider freshness, data
quality, opt-out and confidence. Each returns findings; none of them touches the database."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from app.pipeline.flag_rules import Finding
from app.pipeline.model import NormalizedEvent
from db.vocab import Consent, FlagCode, ItemKind, Severity

DUPLICATE_WINDOW = timedelta(days=30)
LOW_CONFIDENCE = 0.6

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_SPAM_WORDS = re.compile(
    r"\b(seo|backlinks?|guest posts?|crypto\w*|bitcoin|forex|casino|viagra|cialis|"
    r"rank(?:ing)? (?:your|you) (?:site|website)|web ?design services|increase your traffic|"
    r"business loan|merchant cash advance|first page of google)\b",
    re.IGNORECASE,
)
_DISPOSABLE_DOMAINS = frozenset(
    {
        "mailinator.com",
        "guerrillamail.com",
        "10minutemail.com",
        "tempmail.com",
        "yopmail.com",
        "trashmail.com",
        "sharklasers.com",
        "getnada.com",
    }
)


def duplicate(earlier_label: str, last_seen: datetime, now: datetime) -> list[Finding]:
    """The same person asked again within the window (matched by phone or email).

    Judged from the earlier lead itself, never from whether it is stored yet, so the flag does
    not depend on which poll batch each submission happened to land in."""
    if now - last_seen > DUPLICATE_WINDOW:
        return []
    days = max(0, (now - last_seen).days)
    when = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} before"
    return [
        Finding(
            FlagCode.DUPLICATE, Severity.MEDIUM, "same phone or email as an earlier lead", f"{earlier_label}, {when}"
        )
    ]


def spam(event: NormalizedEvent) -> list[Finding]:
    """Heuristics: selling language, several links, a disposable address, links as a name."""
    text = event.free_text
    reasons: list[str] = []
    words = _SPAM_WORDS.search(text)
    if words:
        reasons.append(words.group())
    links = _URL.findall(text)
    if len(links) >= 2:
        reasons.append(f"{len(links)} links")
    email = event.contact.email or ""
    if email.rsplit("@", 1)[-1] in _DISPOSABLE_DOMAINS:
        reasons.append("disposable email domain")
    if _URL.search(event.contact.name):
        reasons.append("a link as the name")
    if not reasons:
        return []
    evidence = words.group() if words else (links[0] if links else ", ".join(reasons))
    return [Finding(FlagCode.SPAM, Severity.HIGH, "looks like spam: " + ", ".join(reasons), evidence[:200])]


def data_quality(event: NormalizedEvent, kind: ItemKind) -> list[Finding]:
    findings: list[Finding] = []
    if event.contact.is_empty:
        severity = Severity.HIGH if kind == ItemKind.MESSAGE else Severity.MEDIUM
        findings.append(
            Finding(FlagCode.MISSING_CONTACT, severity, "no usable phone number or email", "contact missing")
        )
    if kind == ItemKind.MESSAGE and event.consent == Consent.UNKNOWN:
        findings.append(
            Finding(
                FlagCode.MISSING_CONSENT,
                Severity.MEDIUM,
                "no record that the lead agreed to be contacted",
                "consent unknown",
            )
        )
    return findings


def stale_sources(stale: dict[str, str], provider: str) -> list[Finding]:
    """``stale`` maps a provider to a description of how stale its data is, for one client."""
    if provider not in stale:
        return []
    return [
        Finding(
            FlagCode.STALE_PROVIDER_DATA,
            Severity.MEDIUM,
            "provider data is older than its freshness limit",
            stale[provider],
        )
    ]


def opted_out(kind: ItemKind, since: datetime | None) -> list[Finding]:
    severity = Severity.HIGH if kind == ItemKind.MESSAGE else Severity.LOW
    when = f" on {since:%Y-%m-%d}" if since else ""
    return [Finding(FlagCode.OPT_OUT, severity, f"the contact opted out of messages{when}", "opted out")]


def low_confidence(confidence: float) -> list[Finding]:
    if confidence >= LOW_CONFIDENCE:
        return []
    return [
        Finding(FlagCode.LOW_CONFIDENCE, Severity.MEDIUM, "the drafter was not sure", f"confidence {confidence:.2f}")
    ]


def ai_unavailable(reason: str) -> list[Finding]:
    return [Finding(FlagCode.AI_UNAVAILABLE, Severity.MEDIUM, f"drafted by offline rules: {reason}"[:255])]
