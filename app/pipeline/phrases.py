"""Phrase patterns matched word by word, found through an index of their first word.

A pattern is words separated by spaces; each word may be:

* ``charge|charged|bill*``: alternatives; a trailing ``*`` matches any ending ("refund*"
  finds refunds, refunded);
* ``my?``: optional;
* ``#``: an amount-like number (50 or more, or with a ``k``: 1850, 2,400, 5k); ``N``: any
  count (2, 2-3, a, a couple, three, forty);
* ``..``: up to three words of anything; ``~``: up to two small filler words (a, the, my,
  you...), so "write ~ check" finds "write you a check" but not "send someone to check".

A pattern starting with ``!`` is an exclusion: where it matches, its code is not raised
("calcium deposits" is no payment). Matching looks each word of the text up by its first
pattern word, so the cost grows with the text, not with the number of patterns.

Words are read lowercased with their accents folded ("pagué" is "pague", "¿Aceptan" is
"aceptan"), so a pattern is written once in plain letters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from app.pipeline.number_words import NUMBER_WORDS

_STEM = 3  # a prefix pattern word has at least this many letters before its "*"
_GAP = 3
_FILLER_GAP = 2
FILLERS = frozenset(
    [
        "a",
        "an",
        "the",
        "my",
        "our",
        "your",
        "his",
        "her",
        "their",
        "its",
        "it",
        "this",
        "that",
        "these",
        "those",
        "me",
        "us",
        "you",
        "him",
        "them",
        "one",
        "some",
        "by",
        "with",
        "off",
        "in",
        "on",
        "ever",
        "even",
        "really",
        "actually",
        "just",
    ]
)
# Words: letters (of any alphabet) and digits joined by apostrophes or hyphens (no-show,
# didn't, 1-star), and numbers with their separators (1,850, 2.5k).
_WORD = re.compile(r"[^\W_]+(?:(?:['’-]|(?<=\d)[.,](?=\d))[^\W_]+)*")
# One character for one: the spans of the folded text are the text's.
_FOLD = str.maketrans("’áàâäãåéèêëíìîïóòôöõúùûüñç", "'aaaaaaeeeeiiiiooooouuuunc")
_AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?(k)?$")
_COUNT = re.compile(r"\d+(?:-\d+)?$")  # 3, or a range: 2-3
_NONE: list[Pattern] = []
_COUNT_WORDS = NUMBER_WORDS | {"a", "an", "couple", "few", "several"}


def words_of(text: str) -> list[tuple[str, int, int]]:
    """The words of ``text``, lowercased and accent-folded, with their character spans."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lowercase to two: spans must stay the text's
        return [(m.group().lower().translate(_FOLD), m.start(), m.end()) for m in _WORD.finditer(text)]
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(lowered.translate(_FOLD))]


class Match(NamedTuple):
    """A pattern of ``label`` matched words ``first`` to ``stop`` (exclusive) of a text."""

    label: str
    first: int
    stop: int


def _is_amount(word: str) -> bool:
    match = _AMOUNT.match(word)
    if match is None:
        return False
    return bool(match.group(1)) or float(word.rstrip("k").replace(",", "")) >= 50


@dataclass(frozen=True)
class _Word:
    exact: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    optional: bool = False
    amount: bool = False
    count: bool = False
    gap: int = 0  # a gap: skip up to this many words
    fillers_only: bool = False

    def accepts(self, word: str) -> bool:
        return (
            word in self.exact
            or (bool(self.prefixes) and word.startswith(self.prefixes))
            or (self.amount and _is_amount(word))
            or (self.count and (word in _COUNT_WORDS or _COUNT.match(word) is not None))
        )


def _parse_word(raw: str) -> _Word:
    if raw == "..":
        return _Word(gap=_GAP)
    if raw == "~":
        return _Word(gap=_FILLER_GAP, fillers_only=True)
    optional = raw.endswith("?")
    alternatives = raw.rstrip("?").split("|")
    words = [a.lower() for a in alternatives if a not in ("#", "N")]
    return _Word(
        exact=frozenset(a for a in words if not a.endswith("*")),
        prefixes=tuple(a[:-1] for a in words if a.endswith("*")),
        optional=optional,
        amount="#" in alternatives,
        count="N" in alternatives,
    )


@dataclass(frozen=True)
class Pattern:
    code: str
    words: tuple[_Word, ...]
    exclude: bool = False
    # Plain words (after the first) it cannot match without, the fewest of them but not the
    # little words nearly every text has ("my|our|the"): a text with none of these cannot
    # match, which spares most patterns the word-by-word test.
    needs: frozenset[str] | None = None


def _match(pattern: tuple[_Word, ...], words: list[tuple[str, int, int]], p: int, at: int) -> int | None:
    if p == len(pattern):
        return at
    part = pattern[p]
    if part.gap:
        for skip in range(part.gap + 1):
            if skip and at + skip > len(words):
                return None
            if skip and part.fillers_only and words[at + skip - 1][0] not in FILLERS:
                return None
            end = _match(pattern, words, p + 1, at + skip)
            if end is not None:
                return end
        return None
    if at < len(words) and part.accepts(words[at][0]):
        end = _match(pattern, words, p + 1, at + 1)
        if end is not None:
            return end
    return _match(pattern, words, p + 1, at) if part.optional else None


def compile_pattern(code: str, text: str) -> Pattern:
    exclude = text.startswith("!")
    parts = tuple(_parse_word(raw) for raw in text.lstrip("!").split())
    first, last = parts[0], parts[-1]
    assert not (first.gap or first.optional or last.gap), f"starts or ends with no word: {text}"
    assert all(len(p) >= _STEM for w in parts for p in w.prefixes), f"prefix too short to index: {text}"
    needed = [w.exact for w in parts[1:] if w.exact and not (w.gap or w.optional or w.prefixes or w.amount or w.count)]
    rarest = min(needed, key=lambda words: (not words.isdisjoint(FILLERS), len(words))) if needed else None
    return Pattern(code, parts, exclude, rarest)


class PhraseIndex:
    """Patterns by their first word: exactly, by the first letters of a prefix, or (``#``,
    ``N``) for any number."""

    def __init__(self, patterns: Mapping[str, Iterable[str]]) -> None:
        self._exact: dict[str, list[Pattern]] = {}
        self._stem: dict[str, list[Pattern]] = {}
        self._amount: list[Pattern] = []
        # The patterns a word can start, memoized: the same words come back in every text.
        self._starting = lru_cache(maxsize=16384)(self._patterns_starting)
        for code, texts in patterns.items():
            for text in texts:
                pattern = compile_pattern(code, text)
                first = pattern.words[0]
                if first.amount or first.count:
                    self._amount.append(pattern)
                for word in first.exact | (_COUNT_WORDS if first.count else frozenset()):
                    self._exact.setdefault(word, []).append(pattern)
                for prefix in first.prefixes:
                    self._stem.setdefault(prefix[:_STEM], []).append(pattern)

    def _patterns_starting(self, word: str) -> tuple[Pattern, ...]:
        candidates = self._exact.get(word, _NONE) + self._stem.get(word[:_STEM], _NONE)
        if word[0].isdigit():
            candidates = candidates + self._amount
        return tuple(dict.fromkeys(p for p in candidates if p.words[0].accepts(word)))

    def find(self, words: list[tuple[str, int, int]], present: frozenset[str]) -> list[Match]:
        """The matches in ``words`` (``words_of``; its distinct words: ``present``), in the
        order of the text: the longest per label at each word, exclusions removed."""
        found: list[Match] = []
        excluded: dict[str, list[tuple[int, int]]] = {}
        viable: dict[str, list[Pattern]] = {}  # per distinct word of this text
        for index, (word, _, _) in enumerate(words):
            candidates = viable.get(word)
            if candidates is None:
                candidates = viable[word] = [
                    p for p in self._starting(word) if p.needs is None or not p.needs.isdisjoint(present)
                ]
            if not candidates:
                continue
            best: dict[tuple[str, bool], int] = {}
            for pattern in candidates:
                end = _match(pattern.words, words, 1, index + 1)  # its first word is this one
                key = (pattern.code, pattern.exclude)
                if end is not None and end > index and end > best.get(key, 0):
                    best[key] = end
            for (label, exclude), end in best.items():
                if exclude:
                    excluded.setdefault(label, []).append((index, end))
                else:
                    found.append(Match(label, index, end))
        return [
            m for m in found if not any(m.first < stop and first < m.stop for first, stop in excluded.get(m.label, ()))
        ]


def join_overlapping(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if joined and start < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined
