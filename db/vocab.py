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
    # Not in the guides' table either: the client's CRM moved a deal itself (a HubSpot webhook);
    # the deal's lead follows it by the desk's own rule (``app.pipeline.crm_stages``).
    CRM_DEAL_STAGE = "crm.deal_stage"
    # Not in the guides' table: a customer's text that is a rating and nothing else ("4/5",
    # "★★★★"), which a won lead's review request may pause on (``app.pipeline.review_pause``).
    FEEDBACK_RATING = "feedback.rating"


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
    # A low rating or a complaint on the lead: its review request may not go (the guides'
    # bad-experience pause); blocks approval like ``opt_out``.
    BAD_EXPERIENCE = "bad_experience"


# Flags about the signal rather than the wording of one draft: a new draft version keeps them.
SIGNAL_FLAG_CODES = frozenset(
    {
        FlagCode.OPT_OUT,
        FlagCode.MISSING_CONTACT,
        FlagCode.MISSING_CONSENT,
        FlagCode.STALE_PROVIDER_DATA,
        FlagCode.DUPLICATE,
        FlagCode.SPAM,
        FlagCode.BAD_EXPERIENCE,
    }
)


class ItemStatus(StrEnum):
    """A review item's state; ``app.states.ITEMS`` holds its transitions.

    DESIGN.md's list names two more, ``held`` and ``retrying``, that no code ever assigned and
    the item does not carry:

    * Held is not a state but a mark: an item is held while an active pause covers it, which
      the release reads from the pauses under the gate and the queue shows beside the row
      (``hold_reason`` says why on an approved item waiting). Keeping it apart means a resume
      has no earlier state to restore, and a pending item stays pending while it is held.
    * Retrying belongs to the CRM handoff's own row (``HandoffStatus.RETRYING``); its item stays
      ``queued`` until the outbox has an outcome, ``pushed`` or ``failed``.
    """

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
    FAILED = "failed"


# Items a reviewer can still act on: the open queue (held ones included, see ``ItemStatus``).
OPEN_ITEM_STATUSES = (ItemStatus.PENDING, ItemStatus.IN_REVIEW, ItemStatus.ESCALATED)
# The states ``review_items.is_open`` counts as open, as its computed SQL names them. Frozen by
# migration 0002 (a computed column cannot be altered in place) with the retired "held", which
# no row has ever had, so it opens nothing.
QUEUE_STATUSES_SQL = ", ".join(f"'{s}'" for s in (*OPEN_ITEM_STATUSES, "held"))


class MessageStatus(StrEnum):
    """A queued message's send state; ``app.states.MESSAGES`` holds its transitions.

    The desk only queues. Sending belongs to the automation layer that reads the queue: it
    writes ``sent`` (with ``sent_at``) or ``failed``, which the delivery-failure auto-pause
    counts and the lead timeline shows.
    """

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class HandoffStatus(StrEnum):
    """A CRM handoff's place in the outbox; ``app.states.HANDOFFS`` holds its transitions."""

    PENDING = "pending"  # approved and released, waiting for a sender
    SENDING = "sending"  # claimed by a sender, with a lease (``next_attempt_at``)
    RETRYING = "retrying"  # a push failed in a way worth retrying, after ``next_attempt_at``
    PUSHED = "pushed"  # in the CRM, with its id
    FAILED = "failed"  # refused, or out of retry window: waits for a person's retry
    CANCELLED = "cancelled"  # undone before a sender took it; a new approval reuses the row


class TaskStatus(StrEnum):
    """An owner task's state; ``app.states.TASKS`` holds its transitions.

    Open until a person completes it with an outcome (``app.services.tasks``), then done, with
    ``done_at``. Snoozing is not a state: it moves ``due_at`` and the task stays open, so every
    query of open work (the inbox, the roster's counts, escalation) needs no snooze case, and
    the audit entry keeps the due time it had before.
    """

    OPEN = "open"
    DONE = "done"


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


class LeadStage(StrEnum):
    """Where a lead stands in the sales loop (``leads.stage``); ``app.services.lead_stage``
    holds its transitions. Apart from ``leads.status``, which the pipeline keeps for intake
    (new, opted out, qualified by a rule) and the timeline reads."""

    NEW = "new"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    QUOTED = "quoted"
    BOOKED = "booked"
    WON = "won"
    LOST = "lost"
    ARCHIVED = "archived"


class LostReason(StrEnum):
    """Why a lead was lost: a fixed list, so reports can count them."""

    NO_RESPONSE = "no_response"
    PRICE = "price"
    CHOSE_COMPETITOR = "chose_competitor"
    OUT_OF_AREA = "out_of_area"
    NOT_A_FIT = "not_a_fit"
    TIMING = "timing"
    SPAM_OR_INVALID = "spam_or_invalid"
    # None of these, or not said: a deal closed lost in the CRM without a reason of this list.
    OTHER = "other"


# The lost reasons as a person reads them: the lead panel's list and the refusal that asks for
# one. Kept with the vocabulary rather than in ``app.words``: that module reads the services'
# own tables (``REJECT_REASONS``), so a service importing it closes an import cycle
# (lead_stage -> words -> services.review -> services.outbound -> lead_stage).
LOST_REASON_WORDS: dict[str, str] = {
    LostReason.NO_RESPONSE: "No response",
    LostReason.PRICE: "Price",
    LostReason.CHOSE_COMPETITOR: "Chose another company",
    LostReason.OUT_OF_AREA: "Outside the service area",
    LostReason.NOT_A_FIT: "Not a fit",
    LostReason.TIMING: "Timing",
    LostReason.SPAM_OR_INVALID: "Spam or not a real lead",
    LostReason.OTHER: "Another reason",
}


class AlertKind(StrEnum):
    """What an owner alert tells its person (``owner_alerts.kind``)."""

    ASSIGNED = "assigned"  # a task is now yours
    ESCALATED = "escalated"  # a task past due was escalated to you
    BREACH = "breach"  # to the supervisor: a task went past due and was escalated
    DUE_SOON = "due_soon"  # a task of yours is due within minutes and your desk is closed
