"""The labelled lead messages and how well the offline review-edge rules find their codes:
per-code precision and recall, and false alarms on plain messages.

Two corpora (``CORPORA``): ``flag_corpus.jsonl``, written by the rules' authors, and
``holdout_independent.jsonl``, written independently of the rules. Each line is ``{"text":
..., "codes": [...], "set": ...}``: the review-edge codes a reviewer would expect (none for a
plain message), and which part it belongs to: ``dev`` was written before the rules; each
``heldout-*`` part was written after them and scored once before any rule was changed for it;
each ``dev-families*`` part was written for a family of wordings before the rules for it were
changed, and scored once then (those first scores are the honest measure of how the rules
generalise; after that every part is development data). ``dev-families-5`` was written by the
rules' author in four rounds of new wording, each scored before the rules were changed for it:
recall 0.71, 0.82, 0.67 and 0.60 over the five codes, 0.8, 0.0, 0.0 and 0.3 false alarms per
ten plain messages.

The statistical second opinion (``app.pipeline.edge_model``) is trained on ``TRAINED_ON``
(``train_model.py``): on those corpora its figures are not a held-out measure either.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from app.pipeline.flag_rules import find_review_edge
from db.vocab import FlagCode

CORPUS = Path(__file__).with_name("flag_corpus.jsonl")
INDEPENDENT = Path(__file__).with_name("holdout_independent.jsonl")
CORPORA = (CORPUS, INDEPENDENT)
# Written by someone who saw neither the rules nor the other corpora. Its first score, before
# any rule was changed for it, was the measure of how the rules do on wording they have not met:
# recall money 0.81, unusual 0.63, pricing 0.66, legal/medical 0.61, complaint 0.50, with 0.8
# false alarms per ten plain messages. The rules were then broadened for the families of its
# misses and the model trained on it: since then it is development data like the others.
FRESH = Path(__file__).with_name("holdout_fresh.jsonl")
# Written by someone else again (2026-12-03, 315 messages), who saw neither rules nor corpora,
# and never to be trained on or developed against: the held-out measure. Scored once on
# arrival: recall money 0.93, unusual 0.61, pricing 0.86, legal/medical 0.87, complaint 0.71,
# 0.64 false alarms per ten plain messages (the rules before the fresh set's families and the
# model: 0.86, 0.51, 0.67, 0.83, 0.62 and 0.55). A rule changed for its misses ends that.
BLIND = Path(__file__).with_name("holdout_blind.jsonl")
TRAINED_ON = (CORPUS, INDEPENDENT, FRESH)
EDGE_CODES = (
    FlagCode.MONEY_MOVEMENT,
    FlagCode.UNUSUAL_REQUEST,
    FlagCode.PRICING_PROMISE,
    FlagCode.LEGAL_MEDICAL_COMPLIANCE,
    FlagCode.COMPLAINT,
)
TARGETS = {"recall_min": 0.9, "false_alarms_per_10_plain_max": 1.0}


@dataclass(frozen=True)
class Message:
    text: str
    codes: frozenset[str]
    set: str


def load(path: Path = CORPUS) -> list[Message]:
    messages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        codes = frozenset(row["codes"])
        unknown = codes - set(EDGE_CODES)
        if unknown or not isinstance(row["text"], str) or not row["text"].strip():
            raise ValueError(f"{path.name} line {number}: bad text or codes {sorted(unknown)}")
        messages.append(Message(row["text"], codes, row.get("set", "dev")))
    return messages


def load_all() -> list[Message]:
    """Every message of ``CORPORA``."""
    return [message for path in CORPORA for message in load(path)]


def raised(text: str) -> frozenset[str]:
    """The review-edge codes the offline rules raise on a lead's message."""
    return frozenset(f.code for f in find_review_edge(text, "lead_message")) & set(EDGE_CODES)


def score(messages: list[Message]) -> dict[str, object]:
    """Per-code precision and recall, false alarms per ten plain messages, and whether the
    targets are met."""
    found = [(m, raised(m.text)) for m in messages]
    codes: dict[str, dict[str, float | int]] = {}
    for code in EDGE_CODES:
        expected = sum(code in m.codes for m, _ in found)
        flagged = sum(code in got for _, got in found)
        hits = sum(code in m.codes and code in got for m, got in found)
        codes[code] = {
            "expected": expected,
            "raised": flagged,
            "precision": round(hits / flagged, 3) if flagged else 1.0,
            "recall": round(hits / expected, 3) if expected else 1.0,
        }
    plain = [got for m, got in found if not m.codes]
    false_alarms = sum(bool(got) for got in plain)
    per_ten = round(10 * false_alarms / len(plain), 2) if plain else 0.0
    met = (
        all(c["recall"] >= TARGETS["recall_min"] for c in codes.values())
        and per_ten <= TARGETS["false_alarms_per_10_plain_max"]
    )
    return {
        "messages": len(messages),
        "plain": len(plain),
        "false_alarms": false_alarms,
        "false_alarms_per_10_plain": per_ten,
        "codes": codes,
        "targets_met": met,
    }


def misses(messages: list[Message], code: str | None = None) -> list[str]:
    """What the rules got wrong (only the messages that carry ``code`` and did not get it,
    when given), one line each: for a failing test's message."""
    lines = []
    for message in messages:
        got = raised(message.text)
        wrong = code in message.codes and code not in got if code else got != message.codes
        if wrong:
            lines.append(f"expected {sorted(message.codes)}, raised {sorted(got)}: {message.text}")
    return lines
