"""The offline review-edge rules against the labelled corpus of lead messages
(``tests/corpus/flag_corpus.jsonl``).

Prints JSON: per-code precision and recall and false alarms per ten plain messages, for the
whole corpus and for each of its parts (the messages written before the rules, and the ones
held out), with the targets: recall >= 0.9 for every code, at most one false alarm per ten
plain messages. This measures correctness, not speed.
Run: ``make bench`` or ``python bench/flags.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._support import emit  # noqa: E402
from tests.corpus.scoring import TARGETS, load, score  # noqa: E402


def main() -> None:
    messages = load()
    parts = sorted({m.set for m in messages})
    emit("flags", {
        "corpus": "tests/corpus/flag_corpus.jsonl",
        **score(messages),
        "by_set": {part: score([m for m in messages if m.set == part]) for part in parts},
        "targets": TARGETS,
    })


if __name__ == "__main__":
    main()
