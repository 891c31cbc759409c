"""Everything the detail pane shows for one review item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from db.models import (
    ApprovedSnippet,
    AuditEntry,
    Client,
    Draft,
    Event,
    MessageTemplate,
    ReviewItem,
    RiskFlag,
    User,
    WebhookEvent,
)
from db.vocab import ItemKind, ItemStatus

# The audit actions that make up an item's decision, newest first back to its last undo.
APPROVED, REJECTED, ESCALATED, UNDONE = (
    "review_item.approved",
    "review_item.rejected",
    "review_item.escalated",
    "review_item.undone",
)


@dataclass(frozen=True)
class FlagView:
    code: str
    severity: int
    reason: str
    evidence: str
    field: str | None
    span_start: int | None
    span_end: int | None
    source: str


@dataclass(frozen=True)
class Acknowledged:
    """A high-risk flag the approver said yes to, with the note they gave (one note covers
    every flag of that approval)."""

    code: str
    note: str


@dataclass(frozen=True)
class Escalation:
    by: str
    at: datetime
    note: str


@dataclass(frozen=True)
class DraftVersion:
    version_no: int
    drafter: str
    model: str | None
    prompt_version: str | None
    latency_ms: int | None
    tokens_in: int | None
    tokens_out: int | None
    instruction: str | None
    created_at: datetime
    client_text: str
    grounded_on: tuple[str, ...]  # "template: …", "snippet: …"


@dataclass(frozen=True)
class ItemDetail:
    id: int
    version: int
    status: str
    kind: str
    workflow: str
    provider: str
    client_id: int
    client_name: str
    lead_id: int | None
    lead_label: str
    priority: int
    arrived_at: datetime
    sla_due_at: datetime
    drafter: str
    draft_version: int
    internal_summary: str
    client_text: str
    next_action: str
    final_text: str | None
    edit_class: str | None
    holder: str | None
    assignee: str | None  # whom the roster or a supervisor gave it to ("Mine")
    lease_expires_at: datetime | None
    decided_by: str | None
    decided_at: datetime | None
    reject_reason: str | None  # a code of ``REJECT_REASONS`` (set while the item is rejected)
    note: str | None  # the rejection's note
    acknowledged: tuple[Acknowledged, ...]  # of the approval in force
    escalation: Escalation | None  # the escalation in force (the item may since be decided)
    hold_reason: str | None
    release_at: datetime | None
    flags: tuple[FlagView, ...]
    versions: tuple[DraftVersion, ...]  # newest first; the first is the current draft
    opt_out_wording: str  # a message's template phrase its text must keep ("" when none)
    raw_provider: str
    raw_body: str  # INTERNAL: decoded for display only, never copied into client text

    @property
    def text_for_review(self) -> str:
        """The reviewer's own text when there is one (after an undo), else the draft."""
        return self.final_text if self.final_text is not None else self.client_text


def load_item_detail(session: Session, item_id: int) -> ItemDetail | None:
    holder, decider, assignee = aliased(User), aliased(User), aliased(User)
    found = session.execute(
        select(ReviewItem, Client.name, holder.login, decider.login, assignee.login)
        .join(Client, Client.id == ReviewItem.client_id)
        .outerjoin(holder, holder.id == ReviewItem.claimed_by_id)
        .outerjoin(decider, decider.id == ReviewItem.decided_by_id)
        .outerjoin(assignee, assignee.id == ReviewItem.assignee_id)
        .where(ReviewItem.id == item_id)
    ).first()
    if found is None:
        return None
    item, client_name, holder_login, decider_login, assignee_login = found
    drafts = session.scalars(
        select(Draft).where(Draft.review_item_id == item_id).order_by(Draft.version_no.desc())
    ).all()
    draft = drafts[0] if drafts else None
    flags = tuple(
        FlagView(f.code, f.severity, f.reason, f.evidence, f.field, f.span_start, f.span_end, f.source)
        for f in session.scalars(
            select(RiskFlag)
            .where(
                RiskFlag.review_item_id == item_id,
                (RiskFlag.draft_id == (draft.id if draft else None)) | RiskFlag.draft_id.is_(None),
            )
            .order_by(RiskFlag.severity.desc(), RiskFlag.id)
        )
    )
    approval, escalated = _decision_entries(session, item_id)
    raw_provider, raw_body = "", ""
    if item.event_id is not None:
        row = session.execute(
            select(WebhookEvent.provider, WebhookEvent.body)
            .join(Event, Event.webhook_event_id == WebhookEvent.id)
            .where(Event.id == item.event_id)
        ).first()
        if row is not None:
            raw_provider = row[0]
            raw_body = bytes(row[1] or b"").decode("utf-8", errors="replace")
    return ItemDetail(
        id=item.id,
        version=item.version,
        status=item.status,
        kind=item.kind,
        workflow=item.workflow,
        provider=item.provider,
        client_id=item.client_id,
        client_name=client_name,
        lead_id=item.lead_id,
        lead_label=item.lead_label,
        priority=item.priority,
        arrived_at=item.arrived_at,
        sla_due_at=item.sla_due_at,
        drafter=draft.drafter if draft else "",
        draft_version=draft.version_no if draft else 0,
        internal_summary=draft.internal_summary if draft else "",
        client_text=draft.client_text if draft else "",
        next_action=draft.next_action if draft else "",
        final_text=item.final_text,
        edit_class=item.edit_class,
        holder=holder_login,
        assignee=assignee_login,
        lease_expires_at=item.lease_expires_at,
        decided_by=decider_login,
        decided_at=item.decided_at,
        reject_reason=item.reject_reason if item.status == ItemStatus.REJECTED else None,
        note=item.reject_note if item.status == ItemStatus.REJECTED else None,
        acknowledged=_acknowledged(approval),
        escalation=_escalation(escalated, item),
        hold_reason=item.hold_reason,
        release_at=item.release_at,
        flags=flags,
        versions=_versions(session, drafts),
        raw_provider=raw_provider,
        raw_body=raw_body,
        opt_out_wording=_opt_out_wording(session, item, draft),
    )


def _decision_entries(session: Session, item_id: int) -> tuple[AuditEntry | None, AuditEntry | None]:
    """The approval and the escalation in force: the newest of each since the last undo (an
    undo takes the decision back, and what came before it no longer explains the item)."""
    approval = escalation = None
    for entry in session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.review_item_id == item_id,
            AuditEntry.action.in_((APPROVED, REJECTED, ESCALATED, UNDONE)),
            AuditEntry.outcome == "ok",
        )
        .order_by(AuditEntry.id.desc())
        .limit(50)
    ):
        if entry.action == UNDONE:
            break
        if entry.action == APPROVED and approval is None:
            approval = entry
        elif entry.action == ESCALATED and escalation is None:
            escalation = entry
    return approval, escalation


def _acknowledged(approval: AuditEntry | None) -> tuple[Acknowledged, ...]:
    detail = approval.detail if approval is not None else {}
    note = str(detail.get("acknowledgement") or "")
    return tuple(Acknowledged(str(code), note) for code in detail.get("acknowledged_flags") or ())


def _escalation(entry: AuditEntry | None, item: ReviewItem) -> Escalation | None:
    """The item carries the whole note while it is escalated; once decided, the audit entry's."""
    if entry is None:
        return None
    note = item.reject_note if item.status == ItemStatus.ESCALATED else None
    return Escalation(entry.actor, entry.at, note or str(entry.detail.get("note") or ""))


def _opt_out_wording(session: Session, item: ReviewItem, draft: Draft | None) -> str:
    template_id = (draft.grounding or {}).get("template_id") if draft is not None else None
    if item.kind != ItemKind.MESSAGE or not isinstance(template_id, int):
        return ""
    wording = session.scalar(select(MessageTemplate.opt_out_text).where(MessageTemplate.id == template_id))
    return (wording or "").strip()


def _versions(session: Session, drafts: list[Draft]) -> tuple[DraftVersion, ...]:
    """Every draft of the item with the approved material it was grounded on, by name."""
    template_ids = {t for d in drafts if isinstance(t := (d.grounding or {}).get("template_id"), int)}
    snippet_ids = {i for d in drafts for i in (d.grounding or {}).get("snippet_ids") or [] if isinstance(i, int)}
    templates = (
        dict(
            session.execute(
                select(MessageTemplate.id, MessageTemplate.name).where(MessageTemplate.id.in_(template_ids))
            ).all()
        )
        if template_ids
        else {}
    )
    snippets = (
        dict(
            session.execute(
                select(ApprovedSnippet.id, ApprovedSnippet.title).where(ApprovedSnippet.id.in_(snippet_ids))
            ).all()
        )
        if snippet_ids
        else {}
    )

    def grounded_on(draft: Draft) -> tuple[str, ...]:
        grounding = draft.grounding or {}
        names = []
        if grounding.get("template_id") in templates:
            names.append(f"template: {templates[grounding['template_id']]}")
        names += [f"snippet: {snippets[i]}" for i in grounding.get("snippet_ids") or [] if i in snippets]
        return tuple(names)

    return tuple(
        DraftVersion(
            d.version_no,
            d.drafter,
            d.model,
            d.prompt_version,
            d.latency_ms,
            d.tokens_in,
            d.tokens_out,
            d.instruction,
            d.created_at,
            d.client_text,
            grounded_on(d),
        )
        for d in drafts
    )
