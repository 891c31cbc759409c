"""What the model must answer: one JSON object, described once as a pydantic model.

The same model gives the JSON schema sent as structured output (``strict``: every field
required, nothing extra) and validates whatever comes back, whichever mode the server spoke.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from db.vocab import FlagCode, Severity

# The codes the model may raise: the review edge (the same codes the rules raise), and what
# the rules also catch. Each is a FlagCode value, so a model's flag and a rule's are alike.
AiFlagCode = Literal[
    "pii_phone",
    "pii_email",
    "pii_address",
    "pricing_promise",
    "legal_medical_compliance",
    "complaint",
    "opt_out",
    "spam",
    "unusual_request",
    "money_movement",
]
SEVERITIES = {"low": Severity.LOW, "medium": Severity.MEDIUM, "high": Severity.HIGH}


class AiFlag(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: AiFlagCode
    severity: Literal["low", "medium", "high"]
    evidence: str = Field(description="A verbatim quote from the source that shows the risk.")
    reason: str = Field(description="Why a reviewer should look, in a few words.")

    @field_validator("code", "severity", mode="before")
    @classmethod
    def _spelled_loosely(cls, value: object) -> object:
        """Models in plain JSON mode write "Money movement" or "MONEY-MOVEMENT": the same code."""
        if isinstance(value, str):
            return "_".join(value.strip().lower().replace("-", " ").split())
        return value

    @property
    def flag_code(self) -> FlagCode:
        return FlagCode(self.code)


class DraftOutput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    internal_summary: str = Field(description="For the agency only: what happened, who, what they need.")
    client_note: str = Field(description="The client-safe candidate text, grounded on approved material only.")
    risk_flags: list[AiFlag]
    next_action: str = Field(description="The next step for the agency, one short sentence.")
    used_snippets: list[int] = Field(description="Ids of the approved snippets the note relies on.")
    confidence: float = Field(ge=0, le=1)


class InvalidOutput(Exception):
    """The answer was not the JSON object asked for (or was cut short)."""


def json_schema() -> dict[str, Any]:
    return DraftOutput.model_json_schema()


def response_format(mode: str) -> dict[str, Any]:
    """The request's ``response_format`` for an output mode (none for plain text)."""
    if mode == "json_schema":
        return {
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "review_draft", "strict": True, "schema": json_schema()},
            }
        }
    if mode == "json_object":
        return {"response_format": {"type": "json_object"}}
    return {}


def parse_output(text: str | None) -> DraftOutput:
    if not text or not text.strip():
        raise InvalidOutput("the answer was empty")
    try:
        output = DraftOutput.model_validate_json(_strip_fence(text))
    except ValidationError as exc:
        raise InvalidOutput(f"the answer did not match the schema ({exc.error_count()} problems)") from None
    if not output.client_note.strip() or not output.internal_summary.strip():
        raise InvalidOutput("the answer left the note or the summary empty")
    return output


def _strip_fence(text: str) -> str:
    """Some local models wrap JSON mode answers in a Markdown fence."""
    body = text.strip()
    if body.startswith("```"):
        body = body.split("\n", 1)[1] if "\n" in body else ""
        body = body.rsplit("```", 1)[0]
    return body


def schema_text() -> str:
    """The schema as the prompt shows it to servers that only have JSON mode."""
    return json.dumps(json_schema(), indent=1)
