"""Server-side highlighting: cut a notice's text into segments at span boundaries.

Offsets are Python str indices (as extractors and rulestore store them), so slicing here
is exact; the browser never sees offsets. Invisible and direction-changing characters
are shown as visible code points, so a crafted notice cannot reorder what a reviewer reads.

    >>> [(s.text, s.evidence) for s in text_to_segments("每人380元", evidence=(2, 6))]
    [('每人', False), ('380元', True)]
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from markupsafe import Markup, escape

__all__ = ["Segment", "Span", "reveal", "text_to_segments"]

# bidi embeddings/overrides/isolates, zero-width and other invisible formatting characters
_INVISIBLE = {
    0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
    0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF,
    0x00AD, 0x061C, 0x180E,
}


@dataclass(frozen=True)
class Span:
    """A fact span to mark lightly: [start, end) in the text, with a label."""

    start: int
    end: int
    label: str


@dataclass
class Segment:
    text: str
    start: int
    evidence: bool = False
    facts: list[str] = field(default_factory=list)
    first: bool = False  # the first segment of the evidence span (the scroll anchor)


def _is_invisible(ch: str) -> bool:
    code = ord(ch)
    return code in _INVISIBLE or (unicodedata.category(ch) in ("Cf", "Cc") and ch not in "\n\t\r")


def reveal(text: str) -> Markup:
    """Escape `text` and show invisible or bidi-control characters as a visible ⟦U+XXXX⟧ tag."""
    if not any(_is_invisible(ch) for ch in text):
        return escape(text)
    parts: list[str] = []
    for ch in text:
        if _is_invisible(ch):
            parts.append(f'<span class="cc" title="invisible character">U+{ord(ch):04X}</span>')
        else:
            parts.append(str(escape(ch)))
    return Markup("".join(parts))


def text_to_segments(text: str, evidence: tuple[int, int] | None = None,
                     facts: Iterable[Span] = ()) -> list[Segment]:
    """Split `text` where the evidence span or any fact span starts or ends.

    Spans outside the text are clipped; an evidence span that does not fit is ignored
    (the card then says the highlight is missing rather than marking the wrong words).
    """
    n = len(text)
    spans = [s for s in facts if 0 <= s.start < s.end <= n]
    ev = evidence if evidence and 0 <= evidence[0] < evidence[1] <= n else None
    cuts = {0, n}
    for s in spans:
        cuts.update((s.start, s.end))
    if ev:
        cuts.update(ev)
    points = sorted(cuts)
    segments: list[Segment] = []
    for a, b in zip(points, points[1:]):
        if a == b:
            continue
        labels = [s.label for s in spans if s.start <= a and b <= s.end]
        segments.append(Segment(text=text[a:b], start=a,
                                evidence=bool(ev and ev[0] <= a and b <= ev[1]), facts=labels))
    for seg in segments:
        if seg.evidence:
            seg.first = True
            break
    return segments
