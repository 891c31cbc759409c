"""The decision on the open item, explained: who decided, when, and why.

Shown for a decided or escalated item: the decider and the time, the reject reason and note,
the edit class, each high-risk flag acknowledged with the note given, and the escalation's
note. Every value is plain text (notes are typed by people).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from app import words
from app.desk.types import ItemDetail
from db.vocab import EditClass, ItemStatus
from ui.dates import short_datetime
from ui.detail.sentences import acknowledged, quoted

ROWS = ("Decided", "Reason", "Note", "Edit", "Acknowledged", "Escalated")


def _value_label(name: str) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(f"Decision: {name}")
    return label


def _verdict(detail: ItemDetail) -> str:
    """What was decided, whatever happened to the item since (published, pushed, failed)."""
    if detail.status == ItemStatus.REJECTED:
        return words.status(ItemStatus.REJECTED)
    edited = detail.edit_class not in (None, EditClass.UNCHANGED)
    return words.status(ItemStatus.EDITED if edited else ItemStatus.APPROVED)


def decision_lines(detail: ItemDetail) -> dict[str, str]:
    """The decision's rows that have something to say, by row name."""
    lines: dict[str, str] = {}
    if detail.decided_by:
        when = short_datetime(detail.decided_at)
        lines["Decided"] = f"{_verdict(detail)} by {detail.decided_by}" + (f", {when}" if when else "")
    if detail.reject_reason:
        lines["Reason"] = words.reason(detail.reject_reason)
    if detail.note:
        lines["Note"] = detail.note
    if detail.decided_by and detail.edit_class:
        lines["Edit"] = words.edit_class(detail.edit_class)
    if detail.acknowledged:
        lines["Acknowledged"] = acknowledged(detail.acknowledged)
    if detail.escalation is not None:
        escalation = detail.escalation
        said = f"by {escalation.by}, {short_datetime(escalation.at)}"
        lines["Escalated"] = f"{said}: {quoted(escalation.note)}" if escalation.note else said
    return lines


class DecisionBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Decision", parent)
        self.setObjectName("decisionBox")
        self.form = QFormLayout(self)
        self.form.setContentsMargins(6, 2, 6, 4)
        self.form.setVerticalSpacing(2)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.values = {name: _value_label(name) for name in ROWS}
        for name in ROWS:
            self.form.addRow(f"{name}:", self.values[name])
        self.hide()

    def show_decision(self, detail: ItemDetail | None) -> None:
        """Shown only when the item carries a decision or an escalation."""
        lines = decision_lines(detail) if detail is not None else {}
        for name, label in self.values.items():
            label.setText(lines.get(name, ""))
            self.form.setRowVisible(label, name in lines)
        self.setVisible(bool(lines))
