"""PLACEHOLDER (issue 2 item 4): text → normalised text with an offset map back to the original."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Normalised", "text_to_normalised"]


@dataclass(frozen=True)
class Normalised:
    original: str
    text: str
    # offsets[i] = index in `original` of normalised char i; len(offsets) == len(text) + 1
    offsets: list[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised [start, end) span to the original text."""
        if start == end:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


def text_to_normalised(text: str) -> Normalised:
    return Normalised(original=text, text=text, offsets=list(range(len(text) + 1)))
