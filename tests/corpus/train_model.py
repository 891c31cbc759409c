"""Trains the review-edge second opinion (``app.pipeline.edge_model``) on the labelled corpora
and writes its weights to ``resources/flag_model/edge_weights.json``; with ``--check``, writes
nothing and prints the leave-one-corpus-out figures instead: trained on two corpora, scored on
the third, recall per code and false alarms per ten plain messages for the rules alone, the
model alone and both (what decides whether the model earns its place).

Plain logistic regression, by stochastic gradient descent with a fixed seed, so the weights
are the same on every run; features seen in fewer than two messages are left out, and tiny
weights are dropped to keep the file small. A held-out blind set is never trained on.

Run: ``python -m tests.corpus.train_model [--check]``.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

from app.pipeline import edge_model
from app.pipeline.phrases import words_of
from app.pipeline.review_edge import model_spans, read_text, rule_spans
from tests.corpus.scoring import EDGE_CODES, TRAINED_ON, Message, load

WEIGHTS = Path(__file__).resolve().parents[2] / "resources" / "flag_model" / "edge_weights.json"
_EPOCHS = 30
_RATE = 0.3
_L2 = 1e-3
_MIN_MESSAGES = 2
_KEEP = 0.01  # smaller weights change no decision worth the bytes
_SEED = 0


def train(messages: list[Message]) -> edge_model.Model:
    examples = [(edge_model.features([w for w, _, _ in words_of(m.text)]), m.codes) for m in messages]
    seen = Counter(feature for found, _ in examples for feature in found)
    examples = [({f for f in found if seen[f] >= _MIN_MESSAGES}, codes) for found, codes in examples]
    fitted = [_fit(examples, code) for code in edge_model.CODES]
    features = sorted({f for _, weights in fitted for f, w in weights.items() if abs(w) >= _KEEP})
    return edge_model.Model(
        tuple(round(bias, 4) for bias, _ in fitted),
        {f: tuple(round(weights.get(f, 0.0), 4) for _, weights in fitted) for f in features},
    )


def _fit(examples: list[tuple[set[str], frozenset[str]]], code: str) -> tuple[float, dict[str, float]]:
    weights: dict[str, float] = {}
    bias = 0.0
    order = list(examples)
    shuffle = random.Random(_SEED).shuffle
    for _ in range(_EPOCHS):
        shuffle(order)
        for found, codes in order:
            score = bias + sum(weights.get(feature, 0.0) for feature in found)
            error = edge_model.probability(score) - (code in codes)
            bias -= _RATE * error
            for feature in found:
                weight = weights.get(feature, 0.0)
                weights[feature] = weight - _RATE * (error + _L2 * weight)
    return bias, weights


def _raised(text: str, model: edge_model.Model) -> tuple[set[str], set[str]]:
    """The codes the rules raise, and those the model does."""
    read = read_text(text)
    rules = {code for code, spans in rule_spans(read, False).items() if spans}
    return rules, {code for code, spans in model_spans(read, model=model).items() if spans}


def check() -> dict[str, object]:
    """Leave one corpus out: the model trained on the others, scored on it."""
    corpora = {path.name: load(path) for path in TRAINED_ON}
    figures: dict[str, object] = {}
    for held_out, messages in corpora.items():
        model = train([m for name, ms in corpora.items() if name != held_out for m in ms])
        found = [(m, *_raised(m.text, model)) for m in messages]
        figures[held_out] = {
            way: _score([(m, pick(rules, seen)) for m, rules, seen in found])
            for way, pick in (
                ("rules", lambda rules, seen: rules),
                ("model", lambda rules, seen: seen),
                ("both", lambda rules, seen: rules | seen),
            )
        }
    return figures


def _score(found: list[tuple[Message, set[str]]]) -> dict[str, object]:
    recall = {}
    for code in EDGE_CODES:
        carrying = [got for m, got in found if code in m.codes]
        recall[code] = round(sum(code in got for got in carrying) / len(carrying), 3) if carrying else 1.0
    plain = [got for m, got in found if not m.codes]
    per_ten = round(10 * sum(bool(got) for got in plain) / len(plain), 2) if plain else 0.0
    return {"recall": recall, "false_alarms_per_10_plain": per_ten}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print the leave-one-corpus-out figures")
    if parser.parse_args().check:
        print(json.dumps(check(), indent=2))
        return
    model = train([m for path in TRAINED_ON for m in load(path)])
    data = {
        "trained_on": [path.name for path in TRAINED_ON],
        "codes": list(edge_model.CODES),
        "bias": list(model.bias),
        "weights": {feature: list(row) for feature, row in model.weights.items()},
    }
    WEIGHTS.parent.mkdir(exist_ok=True)
    WEIGHTS.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS} ({len(model.weights)} features)")


if __name__ == "__main__":
    main()
