"""The offline review-edge rules against the labelled corpora of lead messages (the rules'
own and the one written independently of them): in each, every code is found in at least nine
messages of ten that carry it, and plain messages raise at most one false alarm per ten (the
same figures ``bench/flags.py`` prints)."""

from __future__ import annotations

import pytest

from tests.corpus.scoring import CORPORA, EDGE_CODES, TARGETS, load, load_all, misses, score

CORPUS_MESSAGES = {path.name: load(path) for path in CORPORA}


def test_the_corpora_are_varied_enough_to_mean_something() -> None:
    messages = load_all()
    assert len(messages) >= 1000
    for code in EDGE_CODES:
        assert sum(code in m.codes for m in messages) >= 100, code
    assert sum(not m.codes for m in messages) >= 400
    assert len({m.text.casefold() for m in messages}) == len(messages), "a message is in twice"
    assert {m.set for m in messages} >= {
        "dev",
        "heldout-1",
        "heldout-2",
        "heldout-3",
        "heldout-independent",
        "dev-families",
        "dev-families-2",
        "dev-families-3",
    }


@pytest.mark.parametrize("corpus", sorted(CORPUS_MESSAGES))
@pytest.mark.parametrize("code", EDGE_CODES)
def test_each_review_edge_code_is_recalled(corpus: str, code: str) -> None:
    messages = CORPUS_MESSAGES[corpus]
    figures = score(messages)["codes"][code]  # type: ignore[index]
    assert figures["recall"] >= TARGETS["recall_min"], "\n".join(misses(messages, code))


@pytest.mark.parametrize("corpus", sorted(CORPUS_MESSAGES))
def test_plain_messages_raise_at_most_one_false_alarm_in_ten(corpus: str) -> None:
    plain = [m for m in CORPUS_MESSAGES[corpus] if not m.codes]
    per_ten = score(plain)["false_alarms_per_10_plain"]
    assert per_ten <= TARGETS["false_alarms_per_10_plain_max"], "\n".join(misses(plain))
