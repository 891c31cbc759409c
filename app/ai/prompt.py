"""The versioned prompt: system text from ``resources/prompts/<version>.md``, and the user
message built from one draft request.

Only approved material (the client's template and snippets) is offered for client-facing
text; the signal itself is marked as such and, by default, has phone numbers, emails and
street addresses replaced by placeholders before it leaves the machine.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from app.ai.output import schema_text
from app.ai.redact import redact
from app.pipeline.drafting import DraftRequest, catalog_service, first_name, local_day
from resources import resource

PROMPT_VERSION = "draft-v2"  # v2: the crm_handoff kind


@dataclass(frozen=True)
class Prompt:
    messages: list[dict[str, str]]
    source: str  # the SIGNAL block as sent: evidence quotes must come from it


@lru_cache(maxsize=4)
def system_text(version: str = PROMPT_VERSION) -> str:
    return resource("prompts", f"{version}.md").read_text(encoding="utf-8")


def build_prompt(request: DraftRequest, *, redact_pii: bool = True) -> Prompt:
    clean: Callable[[str], str] = redact if redact_pii else str
    signal = _signal(request, clean)
    parts = [f"KIND: {request.kind}", "SIGNAL:\n" + signal, "APPROVED MATERIAL:\n" + _material(request)]
    if request.instruction.strip():
        parts.append("PREVIOUS DRAFT:\n" + clean(request.previous_text.strip() or "(none)"))
        parts.append("REVIEWER INSTRUCTION:\n" + request.instruction.strip())
    return Prompt(
        messages=[{"role": "system", "content": system_text()}, {"role": "user", "content": "\n\n".join(parts)}],
        source=signal,
    )


def with_schema(prompt: Prompt) -> Prompt:
    """The prompt with the JSON schema spelled out, for servers that only offer JSON mode
    (with structured output the schema travels in ``response_format`` instead)."""
    system, *rest = prompt.messages
    spelled = system["content"] + "\nThe JSON object must match this JSON schema:\n" + schema_text()
    return Prompt([{"role": "system", "content": spelled}, *rest], prompt.source)


def _signal(request: DraftRequest, clean: Callable[[str], str]) -> str:
    event = request.event
    service = catalog_service(event.service, request.services)
    lines = [
        f"type: {event.type}",
        f"channel: {event.provider}" + (f" ({event.source})" if event.source else ""),
        f"when: {local_day(event.occurred_at, request.client_timezone)}",
        f"lead first name: {first_name(event.contact.name)}",
        f"returning lead: {'yes' if request.returning_lead else 'no'}",
        f"service asked for: {event.service or 'not given'}" + (f" (catalog: {service})" if service else ""),
        f"urgency: {request.urgency}",
        f"consent to be contacted: {event.consent}",
    ]
    metrics = event.data.get("metrics") if isinstance(event.data, dict) else None
    if metrics:
        lines.append("metrics: " + json.dumps(metrics, default=str)[:2000])
    if event.free_text:
        lines.append("they wrote or said: " + clean(event.free_text[:4000]))
    return "\n".join(lines)


def _material(request: DraftRequest) -> str:
    lines = [f"client: {request.client_name}", "services: " + (", ".join(request.services) or "none listed")]
    template = request.template
    if template is not None:
        lines.append(f"template (channel {template.channel}): {template.body}")
        if template.opt_out_text:
            lines.append(f"opt-out wording (keep it): {template.opt_out_text}")
    for snippet in request.snippets:
        lines.append(f"snippet [{snippet.id}] {snippet.title}: {snippet.body}")
    if template is None and not request.snippets:
        lines.append("(no template or snippets: say only what the signal's fields show)")
    return "\n".join(lines)
