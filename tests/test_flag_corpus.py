"""The offline review-edge rules against the labelled corpus of lead messages: every code is
found in at least nine messages of ten that carry it, and plain messages raise at most one
false alarm per ten (the same figures ``bench/flags.py`` prints)."""

from __future__ import annotations

import pytest

from tests.corpus.scoring import EDGE_CODES, TARGETS, load, misses, score

MESSAGES = load()


def test_the_corpus_is_varied_enough_to_mean_something() -> None:
    assert len(MESSAGES) >= 200
    for code in EDGE_CODES:
        assert sum(code in m.codes for m in MESSAGES) >= 25, code
    assert sum(not m.codes for m in MESSAGES) >= 60
    assert len({m.text.casefold() for m in MESSAGES}) == len(MESSAGES), "a message is in twice"
    assert {m.set for m in MESSAGES} >= {"dev", "heldout-1", "heldout-2", "heldout-3"}


@pytest.mark.parametrize("code", EDGE_CODES)
def test_each_review_edge_code_is_recalled(code: str) -> None:
    figures = score(MESSAGES)["codes"][code]  # type: ignore[index]
    assert figures["recall"] >= TARGETS["recall_min"], "\n".join(misses(MESSAGES, code))


def test_plain_messages_raise_at_most_one_false_alarm_in_ten() -> None:
    plain = [m for m in MESSAGES if not m.codes]
    per_ten = score(plain)["false_alarms_per_10_plain"]
    assert per_ten <= TARGETS["false_alarms_per_10_plain_max"], "\n".join(misses(plain))
