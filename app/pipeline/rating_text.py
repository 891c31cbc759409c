"""A customer's text that is a rating, and nothing else: "4", "4/5", "4 out of 5", "8/10",
"5 stars", "five stars", "4*", "★★★★", "★★☆☆☆".

The whole message (trimmed, any letter case, closing ``!`` or ``.`` allowed) must be one of
these shapes; a sentence that merely holds a number ("be there at 5", "2 more questions",
"5 stars, but the crew was late") is not a rating, nor is a date ("4/5/2026") or a bare number
outside 1-5 ("6", "10"). A bare digit is the weakest shape, so the pipeline reads it as a rating
only from a customer who may be answering one (``app.pipeline.review_pause``).

* a bare digit 1-5, out of 5;
* a number over a scale of 5 or 10 ("4/5", "4 of 5", "7 out of 10", "4/5 stars"), the number
  from 0 up to the scale, in digits or words;
* a number of stars, 0-5 ("5 stars", "one star", "4*", "5⭐");
* filled star glyphs, 1-5, alone or followed by empty ones making five ("★★★☆☆").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.pipeline.number_words import SMALL

SCALES = (5, 10)
_NUMBER = r"(\d{1,2}|" + "|".join(word for word, value in SMALL.items() if value <= max(SCALES)) + ")"
_OVER = re.compile(_NUMBER + r" ?(?:/|out of|of) ?(\d{1,2}|five|ten)(?: ?stars?)?")
_STARS = re.compile(_NUMBER + r" ?(?:stars?|\*|⭐|★)")
_GLYPHS = re.compile(r"([★⭐]{1,5})(☆*)")
_BARE = re.compile(r"[1-5]")
_CLOSING = re.compile(r"[\s!.]+$")


@dataclass(frozen=True)
class TextRating:
    rating: int
    scale: int


def read_rating(text: str) -> TextRating | None:
    """The rating ``text`` is, or None when it is anything else."""
    said = _CLOSING.sub("", " ".join(text.replace("\ufe0f", "").split()).lower())
    if _BARE.fullmatch(said):
        return TextRating(int(said), 5)
    glyphs = _GLYPHS.fullmatch(said.replace(" ", ""))
    if glyphs:
        filled, empty = len(glyphs.group(1)), len(glyphs.group(2))
        return TextRating(filled, 5) if empty == 0 or filled + empty == 5 else None
    over = _OVER.fullmatch(said)
    if over:
        return _within(_value(over.group(1)), _value(over.group(2)))
    stars = _STARS.fullmatch(said)
    return _within(_value(stars.group(1)), 5) if stars else None


def _value(token: str) -> int:
    return int(token) if token.isdigit() else SMALL[token]


def _within(rating: int, scale: int) -> TextRating | None:
    return TextRating(rating, scale) if scale in SCALES and 0 <= rating <= scale else None
