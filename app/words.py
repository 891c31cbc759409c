"""The one place where the codes stored in the database become the words a reviewer reads.

Every vocabulary of ``db.vocab`` and every provider name has its words here; the window never
shows a raw code ("missed_call_textback", "in_review"). A code with no entry (a provider added
later, a value from a newer desk) still reads as words: underscores become spaces and the
first letter is capitalised.
"""

from __future__ import annotations

from app.services.review import REJECT_REASONS
from db.vocab import LOST_REASON_WORDS

KINDS = {
    "portal_note": "Portal note",
    "message": "Message",
    "crm_handoff": "CRM handoff",
    "report_note": "Report note",
}
WORKFLOWS = {
    "missed_call_textback": "Missed-call text-back",
    "new_lead_follow_up": "New-lead follow-up",
    "quote_follow_up": "Quote follow-up",
    "old_lead_follow_up": "Old-lead follow-up",
    "review_request": "Review request",
    "crm_handoff": "CRM handoff",
    "client_report_note": "Client report note",
}
# Item, message, handoff, task and webhook states share one table: the same code reads the same.
STATUSES = {
    "drafting": "Drafting",
    "pending": "Pending",
    "in_review": "In review",
    "approved": "Approved",
    "edited": "Approved with edits",
    "rejected": "Rejected",
    "escalated": "Escalated",
    "published": "Published",
    "queued": "Queued",
    "pushed": "Pushed to the CRM",
    "failed": "Failed",
    "sent": "Sent",
    "sending": "Sending",
    "retrying": "Retrying",
    "cancelled": "Cancelled",
    "open": "Open",
    "done": "Done",
    "new": "New",
    "processed": "Processed",
    "quarantined": "Quarantined",
    "held": "Held",
}
FLAGS = {
    "pii_phone": "Phone number (PII)",
    "pii_email": "Email address (PII)",
    "pii_address": "Street address (PII)",
    "pricing_promise": "Pricing promise",
    "legal_medical_compliance": "Legal or medical claim",
    "complaint": "Complaint",
    "opt_out": "Opted out",
    "missing_contact": "Missing contact",
    "missing_consent": "Missing consent",
    "stale_provider_data": "Stale provider data",
    "duplicate": "Possible duplicate",
    "spam": "Possible spam",
    "low_confidence": "Low confidence",
    "ai_unavailable": "AI unavailable",
    "unusual_request": "Unusual request",
    "money_movement": "Money movement",
    "unsupported_evidence": "Unsupported evidence",
    "bad_experience": "Bad experience (review request paused)",
}
SOURCES = {
    "angi": "Angi",
    "cadence": "Cadence (the desk's own cycle)",
    "callrail": "CallRail",
    "client_report": "Client report (the desk's own cycle)",
    "google_ads": "Google Ads",
    "homeadvisor": "HomeAdvisor",
    "hubspot": "HubSpot",
    "lead_stage": "Lead stage change (the desk)",
    "marketplace_import": "Marketplace import",
    "meta_leads": "Meta lead ads",
    "quickbooks": "QuickBooks",
    "search_console": "Search Console",
    "thumbtack": "Thumbtack",
    "twilio": "Twilio",
    "web_form": "Web form",
}
EDIT_CLASSES = {"unchanged": "Unchanged", "light_edit": "Light edit", "rewrite": "Rewrite"}
# The reject reasons are worded where the service that accepts them declares them.
REASONS = REJECT_REASONS
EVENTS = {
    "lead.created": "New lead",
    "lead.qualified": "Lead qualified",
    "call.missed": "Missed call",
    "quote.requested": "Quote requested",
    "summary.created": "Summary written",
    "message.queued": "Message queued",
    "provider.enriched": "Provider data added",
    "automation.paused": "Automation paused",
    "consent.changed": "Consent changed",
    "lead.follow_up_due": "Old-lead follow-up due",
    "lead.review_request_due": "Review request due",
    "lead.crm_stage_due": "CRM stage update due",
    "crm.deal_stage": "Deal stage changed in the CRM",
    "feedback.rating": "Reply that reads as a rating",
}
SCOPES = {
    "workflow": "Workflow",
    "client": "Client",
    "provider": "Provider",
    "integration": "Integration account",
    "all": "Everything",
}
ROLES = {"reviewer": "Reviewer", "supervisor": "Supervisor", "admin": "Admin"}
# How an owner task ended, or how one call back went (``app.services.tasks``).
OUTCOMES = {
    "reached": "Reached",
    "left_voicemail": "Left a voicemail",
    "no_answer": "No answer",
    "booked": "Booked",
    "not_interested": "Not interested",
    "wrong_number": "Wrong number",
    "other": "Other",
}
SEVERITIES = {0: "", 1: "Low", 2: "Medium", 3: "High"}
# The smaller vocabularies (urgency, consent, flag source, lead stage, lost reason, alert) read
# well as their capitalised code, except these (the lost reasons' words live with their vocabulary).
OTHERS = {
    "ai": "AI",
    "rule": "Rule",
    "opted_out": "Opted out",
    "opted_in": "Opted in",
    "sms_keyword": "SMS keyword",
    "provider_flag": "Provider's opt-out field",
    "do_not_contact": "Do not contact",
    "opt_in": "Opt-in",
    "from_lead": "From the lead record",
    "breach": "Past due",
    **LOST_REASON_WORDS,
}


def fallback(code: str) -> str:
    """A code no table knows, as words: ``new_thing`` -> ``New thing``."""
    text = code.replace("_", " ").replace(".", " ").strip()
    return text[:1].upper() + text[1:]


def _look_up(table: dict[str, str], code: str) -> str:
    return table.get(code) or fallback(code)


def kind(code: str) -> str:
    return _look_up(KINDS, code)


def workflow(code: str) -> str:
    return _look_up(WORKFLOWS, code)


def status(code: str) -> str:
    return _look_up(STATUSES, code)


def flag(code: str) -> str:
    return _look_up(FLAGS, code)


def flags(codes: str) -> str:
    """A comma-separated list of flag codes (as the queue stores them) in words."""
    return ", ".join(flag(c.strip()) for c in codes.split(",") if c.strip())


def source(code: str) -> str:
    """A provider, as its own brand writes it."""
    return _look_up(SOURCES, code)


def edit_class(code: str) -> str:
    return _look_up(EDIT_CLASSES, code)


def reason(code: str) -> str:
    """A reject reason."""
    return _look_up(REASONS, code)


def event(code: str) -> str:
    return _look_up(EVENTS, code)


def scope(code: str) -> str:
    return _look_up(SCOPES, code)


def role(code: str) -> str:
    return _look_up(ROLES, code)


def outcome(code: str) -> str:
    """A task's outcome or a call back's result."""
    return _look_up(OUTCOMES, code)


def severity(level: int) -> str:
    return SEVERITIES.get(int(level), str(level))


def other(code: str) -> str:
    """Urgency, consent, flag-source, lead stage, lost-reason and alert codes."""
    return _look_up(OTHERS, code)


def paused(scope_code: str, key: str, label: str) -> str:
    """What a pause holds, in words: the stored label names a workflow or provider by its code."""
    if scope_code == "workflow":
        return f"{workflow(key)} workflow"
    if scope_code == "provider":
        return f"{source(key)} provider"
    return label[:1].upper() + label[1:]
