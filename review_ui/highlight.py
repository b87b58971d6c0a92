"""Server-side highlighting: cut a notice's text into segments at span boundaries.

Offsets are Python str indices (as extractors and rulestore store them), so slicing here
is exact; the browser never sees offsets. Invisible and direction-changing characters
are shown as visible code points, so a crafted notice cannot reorder what a reviewer reads.

    >>> [(s.text, s.evidence) for s in text_to_segments("每人380元", evidence=(2, 6))]
    [('每人', False), ('380元', True)]
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from markupsafe import Markup, escape

__all__ = ["Segment", "Span", "reveal", "reveal_plain", "text_to_segments"]



def _invisible_pattern() -> re.Pattern[str]:
    """Every format (Cf) and control (Cc) character except newline/tab, plus soft hyphen-like
    ones: bidi embeddings/overrides/isolates, zero-width space/joiners, BOM, tag characters."""
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if unicodedata.category(ch) in ("Cf", "Cc") and ch not in "\n\t":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    parts = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{parts}]")


_INVISIBLE_RE = _invisible_pattern()


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
    first: bool = False  # the first segment of the evidence span (opens the <mark>, scroll anchor)
    last: bool = False  # the last segment of the evidence span (closes the <mark>)


def reveal(text: str) -> Markup:
    """Escape `text` and show invisible or bidi-control characters as a visible U+XXXX tag."""
    escaped = str(escape(text))
    return Markup(_INVISIBLE_RE.sub(
        lambda m: f'<span class="cc" title="invisible character">U+{ord(m.group()):04X}</span>', escaped))


def reveal_plain(text: str) -> str:
    """`text` with invisible characters spelled out as [U+XXXX] (for attributes and form values)."""
    return _INVISIBLE_RE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


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
    inside = [seg for seg in segments if seg.evidence]
    if inside:  # the evidence is one contiguous span: one <mark> around its segments
        inside[0].first = True
        inside[-1].last = True
    return segments
