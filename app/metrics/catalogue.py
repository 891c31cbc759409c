"""The catalogue of KPIs: every metric key with its label in words, unit and which way is
better. What each one counts is written once, in the docstring of the module computing it
(``app.metrics.leads``, ``review``, ``tasks``, ``outbound``, ``intake``)."""

from __future__ import annotations

from app.metrics import Metric, Unit

_M, _R, _S, _C = Unit.MINUTES, Unit.RATE, Unit.SECONDS, Unit.COUNT

METRICS: tuple[Metric, ...] = (
    Metric("leads", "Leads", _C, None),
    Metric("first_response_median", "First response, median", _M, False),
    Metric("first_response_p90", "First response, 90th percentile", _M, False),
    Metric("qualified_handoff_rate", "Leads qualified", _R, True),
    Metric("decided", "Items decided", _C, None),
    Metric("review_turnaround_median", "Review turnaround, median", _M, False),
    Metric("review_turnaround_p90", "Review turnaround, 90th percentile", _M, False),
    Metric("sla_hit_rate", "Decided within the SLA", _R, True),
    Metric("approved_as_is_rate", "Approved as drafted", _R, True),
    Metric("light_edit_rate", "Approved after a light edit", _R, None),
    Metric("rewrite_rate", "Approved after a rewrite", _R, False),
    Metric("reject_rate", "Rejected", _R, False),
    Metric("escalation_rate", "Escalated", _R, False),
    Metric("escalation_precision", "Escalations upheld", _R, True),
    Metric("task_on_time_rate", "Owner tasks done on time", _R, True),
    Metric("crm_push_success_rate", "CRM pushes that succeeded", _R, True),
    Metric("crm_push_latency_median", "CRM push latency, median", _S, False),
    Metric("messages_queued", "Messages queued", _C, None),
    Metric("messages_blocked", "Messages blocked", _C, None),
    Metric("quarantine_rate", "Deliveries quarantined", _R, False),
    Metric("stale_sources", "Data sources past their freshness limit (now)", _C, False),
)
METRIC_BY_KEY: dict[str, Metric] = {metric.key: metric for metric in METRICS}

# The causes of ``breakdown(..., "blocked")``, in words (``app.metrics.outbound``).
BLOCKED_CAUSES: dict[str, str] = {
    "opt_out": "The contact opted out",
    "refused": "Refused at queueing for another reason",
    "quiet_hours": "Waiting for the client's quiet hours to end",
    "pause": "Held by a pause",
}
