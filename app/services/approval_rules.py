"""What an approval must satisfy, in one place for the service, the bulk action and the desk's
live check.

* Client-safe text holds no phone number, email address or street address.
* Flags that make sending wrong block outright: ``opt_out``, ``bad_experience`` and ``money_movement`` (a refund,
  a card charge, a deposit by wire is settled with the client, never by a desk approval).
* A review request goes only to a customer with no low rating nor complaint on the lead (the
  bad-experience pause, ``app.pipeline.review_pause``): its ``bad_experience`` flag blocks, and
  so does the rating or complaint itself when it came by a path that flagged nothing.
* A message goes only to a contact that has not opted out (``contact_consents``, whatever
  its age), and keeps its template's opt-out wording.
* Any other high-severity flag needs an explicit acknowledgement, each flag by its code, with
  a short note; both are recorded in the audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.pipeline.drafting import has_opt_out_wording
from app.pipeline.flag_rules import find_pii
from app.pipeline.review_pause import pause_reasons
from db.models import Draft, Lead, MessageTemplate, ReviewItem, RiskFlag
from db.queries.consent import first_opt_out
from db.vocab import FlagCode, ItemKind, Severity, Workflow

BLOCKING_CODES = frozenset({FlagCode.OPT_OUT, FlagCode.MONEY_MOVEMENT, FlagCode.BAD_EXPERIENCE})
PII_CODES = frozenset({FlagCode.PII_PHONE, FlagCode.PII_EMAIL, FlagCode.PII_ADDRESS})
_BLOCKED_BECAUSE = {
    FlagCode.OPT_OUT: "the lead opted out of messages",
    FlagCode.BAD_EXPERIENCE: "the review request is paused, the customer had a bad experience",
    FlagCode.MONEY_MOVEMENT: "it involves moving money (a charge, refund or payment), which is settled "
    "with the client directly, not approved from the desk",
}


@dataclass(frozen=True)
class Acknowledgement:
    """The reviewer's explicit yes to each high-risk flag, with why it is fine to send."""

    codes: frozenset[str]
    note: str


def needs_acknowledgement(code: str, severity: int) -> bool:
    """A high flag that neither blocks nor is settled by the text itself (PII is checked on
    the final text: removing the number settles it)."""
    return severity >= Severity.HIGH and code not in BLOCKING_CODES and code not in PII_CODES


def pii_problem(text: str) -> str | None:
    """Why ``text`` may not leave the desk: personal details are still in it."""
    kinds = sorted({f.reason.split(" in ")[0] for f in find_pii(text, "final_text") if f.code in PII_CODES})
    if not kinds:
        return None
    return f"The client-safe text still contains {' and '.join(kinds)}; remove it first."


def opt_out_wording_problem(text: str, phrase: str) -> str | None:
    if has_opt_out_wording(text, phrase):
        return None
    return f"The message must keep its template's opt-out wording: “{phrase.strip()}”. Put it back."


@dataclass(frozen=True)
class ItemFlag:
    code: str
    severity: int
    evidence: str


def current_flags(session: Session, item: ReviewItem, draft: Draft | None) -> list[ItemFlag]:
    """The flags that apply to the item now: its current draft's and the signal's."""
    rows = session.execute(
        select(RiskFlag.code, RiskFlag.severity, RiskFlag.evidence).where(
            RiskFlag.review_item_id == item.id,
            (RiskFlag.draft_id == (draft.id if draft else None)) | RiskFlag.draft_id.is_(None),
        )
    ).all()
    return [ItemFlag(code, severity, evidence) for code, severity, evidence in rows]


def message_template(session: Session, draft: Draft | None) -> MessageTemplate | None:
    template_id = (draft.grounding or {}).get("template_id") if draft is not None else None
    return session.get(MessageTemplate, template_id) if isinstance(template_id, int) else None


def consent_problem(session: Session, item: ReviewItem) -> str | None:
    """A message to a contact that opted out (or a lead marked so) is refused, with when."""
    if item.kind != ItemKind.MESSAGE or item.lead_id is None:
        return None
    lead = session.get(Lead, item.lead_id)
    if lead is None:
        return "The lead of this message no longer exists."
    found = first_opt_out(session, item.client_id, lead.phone, lead.email)
    if found is not None:
        return f"No message may be sent to {lead.name or 'this lead'}: {found.describe()}."
    if lead.opted_out:
        return f"No message may be sent to {lead.name or 'this lead'}: the lead opted out."
    return None


def bad_experience_problem(session: Session, item: ReviewItem) -> str | None:
    """A review request to a customer who rated the job low or complained is refused, with why."""
    if item.workflow != Workflow.REVIEW_REQUEST or item.lead_id is None:
        return None
    reason = pause_reasons(session, [item.lead_id], besides=item.id).get(item.lead_id)
    return f"This review request is paused: {reason}. Reject it; a person follows up first." if reason else None


def approval_problem(
    session: Session,
    item: ReviewItem,
    draft: Draft | None,
    final: str,
    acknowledged: Acknowledgement | None,
) -> str | None:
    """Why this text may not be approved for this item, or None. Checked again, in the same
    terms, by every path that approves."""
    if not final:
        return "The client-safe text is empty: write it, or reject the item."
    flags = current_flags(session, item, draft)
    for code in (FlagCode.MONEY_MOVEMENT, FlagCode.OPT_OUT, FlagCode.BAD_EXPERIENCE):
        hit = next((f for f in flags if f.code == code), None)
        if hit is not None and (code != FlagCode.OPT_OUT or item.kind == ItemKind.MESSAGE):
            quoted = f" (“{hit.evidence[:80]}”)" if hit.evidence else ""
            return f"This cannot be approved: {_BLOCKED_BECAUSE[code]}{quoted}. Reject or escalate it."
    problem = pii_problem(final) or consent_problem(session, item) or bad_experience_problem(session, item)
    if problem:
        return problem
    template = message_template(session, draft) if item.kind == ItemKind.MESSAGE else None
    if template is not None and template.opt_out_text.strip():
        problem = opt_out_wording_problem(final, template.opt_out_text)
        if problem:
            return problem
    waiting = sorted({f.code for f in flags if needs_acknowledgement(f.code, f.severity)})
    missing = [c for c in waiting if acknowledged is None or c not in acknowledged.codes]
    if missing:
        return (
            "Acknowledge each high-risk flag first ("
            + ", ".join(c.replace("_", " ") for c in missing)
            + "): open the item and approve it on its own."
        )
    if waiting and acknowledged is not None and not acknowledged.note.strip():
        return "Say in a few words why it is fine to send despite the high-risk flags."
    return None
