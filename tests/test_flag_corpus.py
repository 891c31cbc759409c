"""The offline review-edge rules against the labelled corpora of lead messages (the rules'
own and the one written independently of them): in each, every code is found in at least nine
messages of ten that carry it, and plain messages raise at most one false alarm per ten (the
same figures ``bench/flags.py`` prints); and the statistical second opinion is the one the
corpora train, and keeps to the rules' evidence and judgment calls."""

from __future__ import annotations

import pytest

from app.pipeline import edge_model
from app.pipeline.review_edge import model_spans, read_text
from db.vocab import FlagCode
from tests.corpus import train_model
from tests.corpus.scoring import CORPORA, EDGE_CODES, TARGETS, TRAINED_ON, load, load_all, misses, score

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
        "dev-families-6",
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


def test_the_shipped_model_is_the_one_the_corpora_train() -> None:
    """The weights file is what ``train_model.py`` makes of the corpora as they are now: a
    corpus changed without retraining fails here."""
    shipped = edge_model._shipped()
    trained = train_model.train([m for path in TRAINED_ON for m in load(path)])
    assert trained.bias == shipped.bias
    assert trained.weights == shipped.weights


def test_the_second_opinion_gives_the_sentence_it_was_found_in() -> None:
    text = "Thanks for coming Tuesday. The grout your guy did is coming apart already and the tile rocks."
    spans = model_spans(read_text(text))[FlagCode.COMPLAINT]
    assert [text[start:end] for start, end in spans] == [
        "The grout your guy did is coming apart already and the tile rocks"
    ]


def test_the_second_opinion_keeps_to_the_rules_judgment_calls() -> None:
    """Sure of a complaint at the word "rude", the model still raises none about another
    business, and none where money figures are proof."""
    rude = edge_model.Model((-10.0,) * 4, {"rude": (0.0, 0.0, 0.0, 20.0)})
    ours = model_spans(read_text("The tech was rude."), model=rude)[FlagCode.COMPLAINT]
    theirs = model_spans(read_text("Our last plumber was rude."), model=rude)[FlagCode.COMPLAINT]
    assert (ours, theirs) == ([(0, 17)], [])
    pricing = edge_model.Model((-10.0,) * 4, {"spend": (0.0, 0.0, 20.0, 0.0)})
    proof = model_spans(read_text("Spend was 182 dollars."), True, pricing)[FlagCode.PRICING_PROMISE]
    assert model_spans(read_text("Spend was 182 dollars."), model=pricing)[FlagCode.PRICING_PROMISE] and not proof
