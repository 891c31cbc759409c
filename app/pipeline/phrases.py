"""Phrase patterns matched word by word, found through an index of their first word.

A pattern is words separated by spaces; each word may be:

* ``charge|charged|bill*``: alternatives; a trailing ``*`` matches any ending ("refund*"
  finds refunds, refunded);
* ``my?``: optional;
* ``#``: an amount-like number (50 or more, or with a ``k``: 1850, 2,400, 5k); ``N``: any
  count (2, a, a couple, three);
* ``..``: up to three words of anything; ``~``: up to two small filler words (a, the, my,
  you...), so "write ~ check" finds "write you a check" but not "send someone to check".

A pattern starting with ``!`` is an exclusion: where it matches, its code is not raised
("calcium deposits" is no payment). Matching looks each word of the text up by its first
pattern word, so the cost grows with the text, not with the number of patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_STEM = 3  # a prefix pattern word has at least this many letters before its "*"
_GAP = 3
_FILLER_GAP = 2
FILLERS = frozenset(
    "a an the my our your his her their its it this that these those me us you him them "
    "one some by with off in on ever even really actually just".split()
)
# Words: letters and digits joined by apostrophes or hyphens (no-show, didn't, 1-star), and
# numbers with their separators (1,850, 2.5k).
_WORD = re.compile(r"[a-z0-9]+(?:(?:['’-]|(?<=\d)[.,](?=\d))[a-z0-9]+)*", re.IGNORECASE)
_LOWER_WORD = re.compile(_WORD.pattern)  # the same, over text already lowercased
_AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?(k)?$")
_NONE: list[Pattern] = []
_COUNT_WORDS = frozenset(
    "a an one two three four five six seven eight nine ten eleven twelve couple few several".split())


def words_of(text: str) -> list[tuple[str, int, int]]:
    """The words of ``text``, lowercased, with their character spans."""
    lowered = text.lower().replace("’", "'")
    if len(lowered) != len(text):  # a few characters lowercase to two: spans must stay the text's
        return [(m.group().lower().replace("’", "'"), m.start(), m.end()) for m in _WORD.finditer(text)]
    return [(m.group(), m.start(), m.end()) for m in _LOWER_WORD.finditer(lowered)]


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
            or any(word.startswith(p) for p in self.prefixes)
            or (self.amount and _is_amount(word))
            or (self.count and (word.isdigit() or word in _COUNT_WORDS))
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
    # Plain words (after the first) it cannot match without, the fewest of them: a text with
    # none of these cannot match, which spares most patterns the word-by-word test.
    needs: frozenset[str] | None = None

    def match_at(self, words: list[tuple[str, int, int]], at: int) -> int | None:
        """The index after the last word matched when the pattern matches at ``at``."""
        return _match(self.words, words, 0, at)


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
    assert not (first.gap or first.optional or first.count or last.gap), f"starts or ends with no word: {text}"
    assert all(len(p) >= _STEM for w in parts for p in w.prefixes), f"prefix too short to index: {text}"
    needed = [w.exact for w in parts[1:]
              if w.exact and not (w.gap or w.optional or w.prefixes or w.amount or w.count)]
    return Pattern(code, parts, exclude, min(needed, key=len) if needed else None)


class PhraseIndex:
    """Patterns by their first word: exactly, by the first letters of a prefix, or (``#``)
    for any number."""

    def __init__(self, patterns: Mapping[str, Iterable[str]]) -> None:
        self._exact: dict[str, list[Pattern]] = {}
        self._stem: dict[str, list[Pattern]] = {}
        self._amount: list[Pattern] = []
        for code, texts in patterns.items():
            for text in texts:
                pattern = compile_pattern(code, text)
                first = pattern.words[0]
                if first.amount:
                    self._amount.append(pattern)
                for word in first.exact:
                    self._exact.setdefault(word, []).append(pattern)
                for prefix in first.prefixes:
                    self._stem.setdefault(prefix[:_STEM], []).append(pattern)

    def find(self, words: list[tuple[str, int, int]], present: frozenset[str]) -> list[tuple[str, int, int]]:
        """(code, start, end) character spans in the text of ``words`` (``words_of``; its
        distinct words: ``present``): the longest match per code at each word, exclusions
        removed."""
        found: dict[str, list[tuple[int, int]]] = {}
        excluded: dict[str, list[tuple[int, int]]] = {}
        for index, (word, start, _) in enumerate(words):
            candidates = self._exact.get(word, _NONE) + self._stem.get(word[:_STEM], _NONE)
            if word[0].isdigit():
                candidates += self._amount
            if not candidates:
                continue
            best: dict[tuple[str, bool], int] = {}
            for pattern in candidates:
                if pattern.needs is not None and pattern.needs.isdisjoint(present):
                    continue
                end = pattern.match_at(words, index)
                key = (pattern.code, pattern.exclude)
                if end is not None and end > index and end > best.get(key, 0):
                    best[key] = end
            for (code, exclude), end in best.items():
                (excluded if exclude else found).setdefault(code, []).append((start, words[end - 1][2]))
        return [(code, start, end) for code, matches in found.items() for start, end in matches
                if not any(start < b[1] and b[0] < end for b in excluded.get(code, ()))]


def join_overlapping(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if joined and start < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined
