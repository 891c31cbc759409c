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


class ItemStatus(StrEnum):
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
# Items a person has decided on, whether or not they have left the desk yet.
DECIDED_ITEM_STATUSES = tuple(s for s in ItemStatus if s not in OPEN_ITEM_STATUSES and s != ItemStatus.HELD)


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
