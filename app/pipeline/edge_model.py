"""A second opinion for the review-edge rules: a small logistic model per code over a
sentence's words, word pairs and word stems, for wording no phrase pattern has met.

The phrase rules find what they were written for and little else (on each new independent set
of messages they recalled about two codes in three); the model, trained on the labelled corpora
by ``tests/corpus/train_model.py``, finds part of the rest. It reads each sentence on its own,
so its evidence is the sentence it was found in, and it raises a code only when it is sure
(``THRESHOLD``). It leaves legal, medical and compliance language to the rules: held out, the
model found few of those the rules missed and raised more false alarms than it found.

Weights: ``resources/flag_model/edge_weights.json`` (pure data, read once, on first use).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from app.pipeline.edge_text import EdgeText
from db.vocab import FlagCode
from resources import resource

CODES = (FlagCode.MONEY_MOVEMENT, FlagCode.UNUSUAL_REQUEST, FlagCode.PRICING_PROMISE, FlagCode.COMPLAINT)
THRESHOLD = 0.9
_SURE = math.log(THRESHOLD / (1 - THRESHOLD))  # a score above it: a probability above THRESHOLD
_STEM = 5  # the stem feature of a longer word: its first letters ("refund*" from "refunded")


def features(words: Sequence[str]) -> set[str]:
    """What the model reads of a sentence: its words (as ``phrases.words_of`` gives them),
    each pair of neighbours, and the stem of each long word."""
    found = set(words)
    found.update(map(" ".join, zip(words, words[1:], strict=False)))
    found.update(word[:_STEM] + "*" for word in words if len(word) > _STEM)
    return found


def probability(score: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


@dataclass(frozen=True)
class Model:
    """Per code (``CODES``, in order) a bias, and per feature its weight for each code: one
    look-up a feature whatever the number of codes."""

    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    def scores(self, found: set[str]) -> list[float]:
        rows = [row for row in map(self.weights.get, found) if row is not None]
        if not rows:
            return list(self.bias)
        return [bias + sum(column) for bias, column in zip(self.bias, zip(*rows, strict=True), strict=True)]


@cache
def _shipped() -> Model:
    data = json.loads(resource("flag_model", "edge_weights.json").read_text(encoding="utf-8"))
    if tuple(data["codes"]) != CODES:
        raise ValueError("the model's weights are for other codes: run tests/corpus/train_model.py")
    return Model(tuple(data["bias"]), {feature: tuple(row) for feature, row in data["weights"].items()})


def sentences(read: EdgeText, model: Model | None = None) -> dict[FlagCode, list[tuple[int, int]]]:
    """Per code, the sentences (first word, the word after the last) the model (the shipped
    one unless given) is sure carry it."""
    found: dict[FlagCode, list[tuple[int, int]]] = {code: [] for code in CODES}
    model = model or _shipped()
    for first, stop in _sentences(read):
        scores = model.scores(features([word for word, _, _ in read.words[first:stop]]))
        for code, score in zip(CODES, scores, strict=True):
            if score > _SURE:
                found[code].append((first, stop))
    return found


def _sentences(read: EdgeText) -> list[tuple[int, int]]:
    """Each sentence as the indexes of its first word and the word after its last."""
    bounds, first = [], 0
    numbers = read.sentence
    for at in range(1, len(numbers) + 1):
        if at == len(numbers) or numbers[at] != numbers[first]:
            bounds.append((first, at))
            first = at
    return bounds
