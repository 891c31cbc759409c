"""What happened to a lead and its items, as the sentences a reviewer reads.

The timeline and the decision box say "Rejected by ana — reason: Belongs to another client;
note: …", never a stored code ("review_item.rejected"): every code goes through ``app.words``.
Notes and payload text stay as typed (they are shown as plain text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from app import words
from app.desk.tasks import about_a_task, timeline_sentence
from app.desk.types import Acknowledged, TimelineEntry
from ui.detail.versions_model import drafter_label

Facts = Mapping[str, Any]


def quoted(text: str) -> str:
    return f"“{text.strip()}”"


def acknowledged(flags: Iterable[Acknowledged]) -> str:
    """``Pricing promise, Complaint — “quoted from the catalog”`` (one note covers them all)."""
    flags = list(flags)
    if not flags:
        return ""
    names = ", ".join(words.flag(f.code) for f in flags)
    note = flags[0].note
    return f"{names} — {quoted(note)}" if note else names


def _approved(actor: str, facts: Facts) -> str:
    said = f"Approved by {actor}"
    if facts.get("bulk"):
        said += " with other low-risk items"
    if facts.get("edit_class"):
        said += f" ({words.edit_class(str(facts['edit_class'])).lower()})"
    codes = facts.get("acknowledged_flags") or ()
    if codes:
        note = str(facts.get("acknowledgement") or "")
        said += ", acknowledged: " + acknowledged(Acknowledged(str(c), note) for c in codes)
    return said


def _rejected(actor: str, facts: Facts) -> str:
    said = f"Rejected by {actor}"
    if facts.get("reason"):
        said += f" — reason: {words.reason(str(facts['reason']))}"
    if facts.get("note"):
        said += f"; note: {quoted(str(facts['note']))}"
    return said


def _escalated(actor: str, facts: Facts) -> str:
    note = str(facts.get("note") or "")
    return f"Escalated by {actor}: {quoted(note)}" if note else f"Escalated by {actor}"


def _undone(actor: str, facts: Facts) -> str:
    undid = str(facts.get("undid") or "")
    return f"Decision undone by {actor}" + (f" (it was {words.status(undid).lower()})" if undid else "")


def _failed(_actor: str, facts: Facts) -> str:
    return "CRM push failed" + (f": {facts['error']}" if facts.get("error") else "")


def _blocked(_actor: str, facts: Facts) -> str:
    return "Message not sent" + (f": {facts['reason']}" if facts.get("reason") else "")


def _draft_written(actor: str, facts: Facts) -> str:
    drafter = drafter_label(str(facts.get("drafter") or actor))
    version = facts.get("version")
    return f"Draft v{version} written by {drafter}" if version else f"Draft written by {drafter}"


def _assigned(_actor: str, facts: Facts) -> str:
    to, reason = facts.get("to"), str(facts.get("reason") or "")
    said = f"Assigned to {to}" if to else "Back to the shared queue"
    return f"{said} ({reason})" if reason else said


def _rated(actor: str, facts: Facts) -> str:
    if "rating" not in facts:  # a texted number not taken as a rating: the reason says why
        return f"Not taken as a rating: {facts.get('reason') or 'no review was asked for'}"
    by = "by text" if facts.get("from") == "twilio" else f"by {actor}"
    said = f"Rated {facts['rating']}/{facts.get('scale') or 5} {by}"
    return said + (" — low: the review request waits, a person follows up" if facts.get("low") else "")


def _owner_alert(_actor: str, facts: Facts) -> str:
    how = channel(str(facts.get("channel") or "")) if facts.get("channel") != "email" else "email"
    return f"Owner alert to {facts.get('to') or 'staff'} by {how} (internal, never to the lead)"


AUDITED: dict[str, Callable[[str, Facts], str]] = {
    "owner_alert.queued": _owner_alert,
    "lead.rated": _rated,
    "review_item.assigned": _assigned,
    "review_item.approved": _approved,
    "review_item.rejected": _rejected,
    "review_item.escalated": _escalated,
    "review_item.undone": _undone,
    "review_item.held": lambda _a, _f: "Held by a pause: it leaves once the pause is resumed",
    "portal_note.published": lambda _a, _f: "Published to the client portal",
    "message.queued": lambda _a, _f: "Message released to the send queue",
    "message.blocked": _blocked,
    "crm_handoff.queued": lambda _a, _f: "Released to the CRM outbox",
    "crm_handoff.pushed": lambda _a, _f: "Pushed to the CRM",
    "crm_handoff.failed": _failed,
    "crm_handoff.retried": lambda actor, _f: f"CRM push retried by {actor}",
    "draft.written": _draft_written,
    "draft.ai_unavailable": lambda _a, _f: "The AI could not draft it: the offline draft stays",
}


def _audit(entry: TimelineEntry) -> str:
    known = AUDITED.get(entry.what)
    if known is not None and entry.outcome != "refused":
        return known(entry.actor, entry.facts)
    # A refused attempt, or an action this desk has no sentence for (one a newer desk wrote):
    # its words, not its code.
    said = words.fallback(entry.what.rpartition(".")[2]) + (f" by {entry.actor}" if entry.actor else "")
    if entry.outcome != "ok":
        why = entry.facts.get("reason")
        said += f": {entry.outcome}" + (f" ({why})" if why else "")
    return said


def channel(code: str) -> str:
    return "SMS" if code == "sms" else words.other(code)


def sentence(entry: TimelineEntry) -> str:
    """One line of a lead's timeline."""
    facts = entry.facts
    if about_a_task(entry):
        return timeline_sentence(entry)
    if entry.kind == "event":
        return f"{words.event(entry.what)} from {words.source(str(facts.get('provider') or ''))}"
    if entry.kind == "draft":
        return f"{words.kind(entry.what)} draft v{facts.get('version')}"
    if entry.kind == "message":
        sent = f"{channel(str(facts.get('channel') or ''))} message {words.status(entry.what).lower()}"
        return f"{sent}: {facts.get('body')}"
    if entry.kind == "handoff":
        return f"CRM handoff via {words.source(str(facts.get('adapter') or ''))}: {words.status(entry.what).lower()}"
    return _audit(entry)


def who(entry: TimelineEntry) -> str:
    """The timeline's Who column: a provider or drafter by its name, a person by their login."""
    if entry.kind == "event":
        return words.source(entry.actor)
    if entry.kind == "draft":
        return drafter_label(entry.actor)
    return entry.actor
