"""A text as the review-edge rules read it: its words, the sentence each word is in, what the
phrase patterns matched (by label) and the numbers written in words.

Labels are the flag codes themselves (a match is a finding) or a module's own names for a kind
of words (``complaint.ours``: words about the business's own people and work), which a rule
pairs with another kind in the same sentence (``near``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from app.pipeline.number_words import Number, has_number_words, numbers_in
from app.pipeline.phrases import Match, PhraseIndex, words_of

Span = tuple[int, int]
_NO_MATCHES: tuple[Match, ...] = ()
# Between two words, one of these ends a sentence (a line break too: messages are often
# written a thought a line).
_SENTENCE_END = re.compile(r"[.!?;\n…]")


@dataclass
class EdgeText:
    text: str
    words: list[tuple[str, int, int]]
    present: frozenset[str]
    matches: dict[str, list[Match]] = field(default_factory=dict)

    @classmethod
    def read(cls, text: str, index: PhraseIndex) -> EdgeText:
        words = words_of(text)
        present = frozenset(word for word, _, _ in words)
        read = cls(text, words, present)
        for match in index.find(words, present):
            read.matches.setdefault(match.label, []).append(match)
        return read

    def found(self, label: str) -> tuple[Match, ...] | list[Match]:
        return self.matches.get(label, _NO_MATCHES)

    def span(self, first: int, stop: int) -> Span:
        """The characters of words ``first`` to ``stop`` (exclusive)."""
        return self.words[first][1], self.words[stop - 1][2]

    def spans(self, label: str) -> list[Span]:
        return [self.span(m.first, m.stop) for m in self.found(label)]

    @cached_property
    def sentence(self) -> list[int]:
        """The number of the sentence each word is in."""
        ends = [m.start() for m in _SENTENCE_END.finditer(self.text)]
        numbers, current, at, previous_end = [], 0, 0, 0
        for _, start, end in self.words:
            ended = False
            while at < len(ends) and ends[at] < start:
                ended = ended or ends[at] >= previous_end  # between words, not a word's own "1.5"
                at += 1
            current += ended
            numbers.append(current)
            previous_end = end
        return numbers

    @cached_property
    def numbers(self) -> list[Number]:
        """Numbers written in words (none to read when no number word is there)."""
        return numbers_in(self.words) if has_number_words(self.present) else []

    def drop_inside(self, label: str, other: str) -> None:
        """Forget the matches of ``label`` that share words with a match of ``other``."""
        taken = {at for m in self.found(other) for at in range(m.first, m.stop)}
        self.matches[label] = [m for m in self.found(label) if taken.isdisjoint(range(m.first, m.stop))]

    def sentences_with(self, label: str) -> set[int]:
        return {self.sentence[m.first] for m in self.found(label)}

    def near(self, one: str, other: str, within: int) -> list[tuple[Match, Match]]:
        """Each match of ``one`` with the nearest match of ``other`` in its sentence, at most
        ``within`` words apart (either comes first)."""
        pairs = []
        for a in self.found(one):
            sentence = self.sentence[a.first]
            best, best_gap = None, within + 1
            for b in self.found(other):
                if self.sentence[b.first] != sentence:
                    continue
                gap = max(b.first - a.stop, a.first - b.stop, 0)
                if gap < best_gap:
                    best, best_gap = b, gap
            if best is not None:
                pairs.append((a, best))
        return pairs

    def pair_span(self, a: Match, b: Match) -> Span:
        return self.span(min(a.first, b.first), max(a.stop, b.stop))
