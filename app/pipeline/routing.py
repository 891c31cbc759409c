"""Routing: urgent or high-value leads get an owner task with a due time before any nurture."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from app.pipeline.model import NormalizedEvent
from db.vocab import EventType, Urgency

_EMERGENCY = re.compile(
    r"\b(emergency|burst|flood(?:ed|ing)?|gas leak|smell(?:s)? (?:of )?gas|no heat|no hot water|"
    r"sparking|fire|sewage|overflow(?:ing)?|water everywhere|ceiling (?:is )?leaking|"
    r"carbon monoxide)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TaskPlan:
    title: str
    reason: str
    priority: int
    due_in: timedelta  # today's default; the client's rules may change it (``app.response_window``)


def urgency(event: NormalizedEvent) -> tuple[Urgency, str]:
    """The event's urgency, raised to emergency when the person's own words say so."""
    match = _EMERGENCY.search(event.free_text)
    if match and event.urgency != Urgency.EMERGENCY:
        return Urgency.EMERGENCY, match.group()
    return event.urgency, ""


def new_caller(event: NormalizedEvent, desk_knows_caller: bool) -> bool:
    """Whether the person behind ``event`` has never been in touch before.

    Either side knowing them is enough to say no: the desk's own history (``desk_knows_caller``:
    a lead with this phone or email, of any age), or a call-tracking provider saying they
    called before (``data["first_call"]`` False, or ``data["prior_calls"]`` above zero) even
    when the desk has no history, since the desk may be newer than the client's phone line.
    """
    if desk_knows_caller:
        return False
    prior = event.data.get("prior_calls")
    called_before = event.data.get("first_call") is False or (type(prior) is int and prior > 0)
    return not called_before


def owner_task(
    event: NormalizedEvent,
    level: Urgency,
    new_caller: bool,
    label: str,
    high_value_threshold: Decimal | None,
) -> TaskPlan | None:
    if event.type == EventType.CALL_MISSED and new_caller:
        return TaskPlan(f"Call back {label}", "missed call from a new caller", 1, timedelta(minutes=15))
    if level == Urgency.EMERGENCY and event.type in (
        EventType.LEAD_CREATED,
        EventType.QUOTE_REQUESTED,
        EventType.CALL_MISSED,
    ):
        return TaskPlan(f"Call {label} now", "emergency in the lead's own words", 1, timedelta(minutes=15))
    budget = event.data.get("budget")
    if (
        event.type == EventType.QUOTE_REQUESTED
        and high_value_threshold is not None
        and isinstance(budget, (int, float))
        and Decimal(str(budget)) >= high_value_threshold
    ):
        return TaskPlan(
            f"High-value quote for {label}",
            f"quote value {budget:,.0f} at or above {high_value_threshold:,.0f}",
            2,
            timedelta(hours=1),
        )
    return None
