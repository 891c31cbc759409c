"""The closed vocabularies stored in string columns.

Kept as ``StrEnum`` so Python code gets typo-safety while the columns stay plain strings that
migrate easily on all three databases.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Role(StrEnum):
    REVIEWER = "reviewer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class EventType(StrEnum):
    LEAD_CREATED = "lead.created"
    LEAD_QUALIFIED = "lead.qualified"
    CALL_MISSED = "call.missed"
    QUOTE_REQUESTED = "quote.requested"
    SUMMARY_CREATED = "summary.created"
    MESSAGE_QUEUED = "message.queued"
    PROVIDER_ENRICHED = "provider.enriched"
    AUTOMATION_PAUSED = "automation.paused"
    # Not in the guides' table: a lead's consent changed (an SMS STOP, an unsubscribe). The
    # desk needs it as an event so the opt-out is on the lead's timeline and audited.
    CONSENT_CHANGED = "consent.changed"


# integration_accounts.kind of a client's CRM: with one, quote requests become CRM handoffs.
CRM_ACCOUNT_KIND = "crm"


class PauseScope(StrEnum):
    """What a pause holds. The key: a workflow name, a client id, a provider name, an
    integration account id, or nothing for everything."""

    WORKFLOW = "workflow"
    CLIENT = "client"
    PROVIDER = "provider"
    INTEGRATION = "integration"
    ALL = "all"


class WebhookStatus(StrEnum):
    NEW = "new"
    PROCESSED = "processed"
    QUARANTINED = "quarantined"
    HELD = "held"


class ItemKind(StrEnum):
    PORTAL_NOTE = "portal_note"
    MESSAGE = "message"
    CRM_HANDOFF = "crm_handoff"
    REPORT_NOTE = "report_note"


class Workflow(StrEnum):
    """The automations a supervisor can pause one by one."""

    MISSED_CALL_TEXTBACK = "missed_call_textback"
    NEW_LEAD_FOLLOW_UP = "new_lead_follow_up"
    QUOTE_FOLLOW_UP = "quote_follow_up"
    OLD_LEAD_FOLLOW_UP = "old_lead_follow_up"
    REVIEW_REQUEST = "review_request"
    CRM_HANDOFF = "crm_handoff"
    CLIENT_REPORT_NOTE = "client_report_note"


class FlagCode(StrEnum):
    PII_PHONE = "pii_phone"
    PII_EMAIL = "pii_email"
    PII_ADDRESS = "pii_address"
    PRICING_PROMISE = "pricing_promise"
    LEGAL_MEDICAL_COMPLIANCE = "legal_medical_compliance"
    COMPLAINT = "complaint"
    OPT_OUT = "opt_out"
    MISSING_CONTACT = "missing_contact"
    MISSING_CONSENT = "missing_consent"
    STALE_PROVIDER_DATA = "stale_provider_data"
    DUPLICATE = "duplicate"
    SPAM = "spam"
    LOW_CONFIDENCE = "low_confidence"
    AI_UNAVAILABLE = "ai_unavailable"
    # The review edge of DESIGN.md: raised by the offline rules and by the AI drafter.
    UNUSUAL_REQUEST = "unusual_request"
    MONEY_MOVEMENT = "money_movement"
    # The model quoted evidence that is not in what it was given: its flag was dropped.
    UNSUPPORTED_EVIDENCE = "unsupported_evidence"


# Flags about the signal rather than the wording of one draft: a new draft version keeps them.
SIGNAL_FLAG_CODES = frozenset({
    FlagCode.OPT_OUT, FlagCode.MISSING_CONTACT, FlagCode.MISSING_CONSENT,
    FlagCode.STALE_PROVIDER_DATA, FlagCode.DUPLICATE, FlagCode.SPAM,
})


class ItemStatus(StrEnum):
    # Waiting for its AI draft: not in the queue yet (the offline draft is already stored, so
    # nothing is lost if the AI never answers; the drafting stage then releases it).
    DRAFTING = "drafting"
    PENDING = "pending"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    EDITED = "edited"
    REJECTED = "rejected"
    ESCALATED = "escalated"
    PUBLISHED = "published"
    QUEUED = "queued"
    PUSHED = "pushed"
    RETRYING = "retrying"
    FAILED = "failed"
    HELD = "held"


# Items a reviewer can still act on.
OPEN_ITEM_STATUSES = (ItemStatus.PENDING, ItemStatus.IN_REVIEW, ItemStatus.ESCALATED)
# Items the open queue lists: those, and the ones held while their automation is paused.
QUEUE_STATUSES = (*OPEN_ITEM_STATUSES, ItemStatus.HELD)
QUEUE_STATUSES_SQL = ", ".join(f"'{s.value}'" for s in QUEUE_STATUSES)
# Items a person has decided on, whether or not they have left the desk yet.
DECIDED_ITEM_STATUSES = tuple(
    s for s in ItemStatus if s not in OPEN_ITEM_STATUSES and s not in (ItemStatus.HELD, ItemStatus.DRAFTING)
)


class EditClass(StrEnum):
    UNCHANGED = "unchanged"
    LIGHT_EDIT = "light_edit"
    REWRITE = "rewrite"


class Severity(IntEnum):
    NONE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3


class FlagSource(StrEnum):
    RULE = "rule"
    AI = "ai"


class Urgency(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    EMERGENCY = "emergency"


class Consent(StrEnum):
    GRANTED = "granted"
    DENIED = "denied"
    UNKNOWN = "unknown"


class ConsentState(StrEnum):
    """A contact's state in ``contact_consents`` (its newest row)."""

    OPTED_OUT = "opted_out"
    OPTED_IN = "opted_in"


class ConsentMethod(StrEnum):
    """How an opt-out or opt-in reached the desk."""

    SMS_KEYWORD = "sms_keyword"  # STOP / START and their synonyms, texted by the contact
    PROVIDER_FLAG = "provider_flag"  # a provider's own opt-out field on a delivery
    DO_NOT_CONTACT = "do_not_contact"  # entered for a client by a supervisor
    OPT_IN = "opt_in"  # an explicit opt-in entered by a supervisor (the contact asked)
    FROM_LEAD = "from_lead"  # migration 0007: a lead that was opted out before this table
