"""PLACEHOLDER (issue 2 item 5): the spaCy pipeline that finds facts."""

from __future__ import annotations

from typing import Any

from .contract import Fact
from .normalise import Normalised

__all__ = ["normalised_to_facts"]


def normalised_to_facts(norm: Normalised) -> tuple[list[Fact], Any]:
    """Return the facts (offsets into norm.original) and the spaCy Doc over norm.text."""
    return [], None
