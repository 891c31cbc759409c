"""Numbers as people write them in messages: "eighteen hundred", "twenty-two hundred", "two
grand", "a couple hundred", "three thousand five hundred", "3 thousand", and the spoken price
"four fifty" (450).

Read over the words of ``app.pipeline.phrases.words_of`` (lowercased), so each number keeps the
words it was read from; what a number counts or costs is for the caller to judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SMALL: dict[str, int] = {
    **{word: value for value, word in enumerate(_ONES)},
    **{word: 20 + 10 * at for at, word in enumerate(_TENS)},
}
_THOUSANDS = frozenset(("thousand", "grand"))
_ROUGH = {"couple": 2, "few": 3}  # "a couple hundred", "a few thousand"
# The words a number can start with or go on with: a text without any of them has no number in words.
NUMBER_WORDS = (
    frozenset(SMALL)
    | {"hundred", "thousand", "grand", "dozen"}
    | {f"{tens}-{ones}" for tens in _TENS for ones in _ONES[1:10]}
)
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?$")
_STARTS = NUMBER_WORDS | {"a", "an", *_ROUGH}


def has_number_words(present: frozenset[str]) -> bool:
    """Whether a text of these distinct words can hold a number in words."""
    return not present.isdisjoint(NUMBER_WORDS) or any(
        "-" in word and word.partition("-")[0] in SMALL for word in present
    )


@dataclass(frozen=True)
class Number:
    value: float
    first: int  # the index of its first word
    stop: int  # the index after its last word
    spelled: bool  # written (at least partly) in words
    scaled: bool  # with "hundred", "thousand" or "grand"
    colloquial: bool = False  # two plain numbers read as one: "four fifty" is 450


def numbers_in(words: list[tuple[str, int, int]]) -> list[Number]:
    """Every number in ``words`` written in words, and every figure followed by a scale word
    ("3 thousand"), in the order of the text."""
    found: list[Number] = []
    at = 0
    while at < len(words):
        word = words[at][0]
        if not (word in _STARTS or word[0].isdigit() or "-" in word):
            at += 1
            continue
        number = _read(words, at)
        if number is None:
            at += 1
            continue
        found.append(number)
        at = number.stop
    return found


def _small(words: list[tuple[str, int, int]], at: int) -> tuple[int, int] | None:
    """Below a hundred at ``at``: "seven", "seventeen", "twenty-two", "twenty two"."""
    if at >= len(words):
        return None
    word = words[at][0]
    if "-" in word:
        tens, _, ones = word.partition("-")
        if tens in _TENS and ones in SMALL and 0 < SMALL[ones] < 10:
            return SMALL[tens] + SMALL[ones], at + 1
        return None
    if word not in SMALL:
        return None
    value = SMALL[word]
    if word in _TENS and at + 1 < len(words) and 0 < SMALL.get(words[at + 1][0], 0) < 10:
        return value + SMALL[words[at + 1][0]], at + 2
    return value, at + 1


def _word(words: list[tuple[str, int, int]], at: int) -> str:
    return words[at][0] if at < len(words) else ""


def _read(words: list[tuple[str, int, int]], at: int) -> Number | None:
    start, word = at, words[at][0]
    hundreds, _, rest = word.partition("-")
    if SMALL.get(hundreds, 0) > 0 and SMALL.get(rest, 0) >= 10:  # "twelve-fifty", as a price is said
        return Number(SMALL[hundreds] * 100 + SMALL[rest], at, at + 1, True, False, colloquial=True)
    group: float | None = None
    spelled = True
    if word in ("a", "an") and _word(words, at + 1) in (*_ROUGH, "hundred", *_THOUSANDS):
        at += 1
        word = words[at][0]
        group = 1
        if word in _ROUGH:
            group, at = _ROUGH[word], at + 1
    elif word in _ROUGH and _word(words, at + 1) in ("hundred", *_THOUSANDS):
        group, at = _ROUGH[word], at + 1
    elif _DIGITS.match(word) and _word(words, at + 1) in ("hundred", *_THOUSANDS):
        group, at, spelled = float(word.replace(",", "")), at + 1, False
    else:
        small = _small(words, at)
        if small is None:
            return None
        group, at = small
    total, scaled = 0.0, False
    if _word(words, at) == "hundred":
        group, at, scaled = group * 100, at + 1, True
        group, at = _and_small(words, at, group)
    if _word(words, at) in _THOUSANDS:
        total, group, at, scaled = group * 1000, 0, at + 1, True
        rest = _small(words, at)
        if rest is not None:
            group, at = rest
            if _word(words, at) == "hundred":
                group, at = group * 100, at + 1
                group, at = _and_small(words, at, group)
    if not scaled and group is not None and 0 < group < 100:
        # "four fifty", "twelve ninety-nine": hundreds and the rest, as a price is said
        rest = _small(words, at)
        if rest is not None and rest[0] >= 10:
            return Number(group * 100 + rest[0], start, rest[1], spelled, False, colloquial=True)
    return Number(total + group, start, at, spelled, scaled)


def _and_small(words: list[tuple[str, int, int]], at: int, group: float) -> tuple[float, int]:
    """The tens and ones after "hundred": "eighteen hundred (and) fifty"."""
    skip = 1 if _word(words, at) == "and" else 0
    rest = _small(words, at + skip)
    if rest is None:
        return group, at
    return group + rest[0], rest[1]
