"""Personal details out of what the model sees: the same detectors that flag PII in drafts
(``find_pii``) mark the spans, and each span becomes a placeholder the model can still read
("[PHONE]", "[EMAIL]", "[ADDRESS]")."""

from __future__ import annotations

from app.pipeline.flag_rules import find_pii
from db.vocab import FlagCode

PLACEHOLDERS = {
    FlagCode.PII_PHONE: "[PHONE]",
    FlagCode.PII_EMAIL: "[EMAIL]",
    FlagCode.PII_ADDRESS: "[ADDRESS]",
}


def redact(text: str) -> str:
    if not text:
        return text
    spans = sorted(
        (f.span[0], f.span[1], PLACEHOLDERS[FlagCode(f.code)]) for f in find_pii(text, "source") if f.span is not None
    )
    pieces: list[str] = []
    at = 0
    for start, end, placeholder in spans:
        if start < at:  # overlapping detections (an email inside an address): keep the first
            continue
        pieces += [text[at:start], placeholder]
        at = end
    pieces.append(text[at:])
    return "".join(pieces)
