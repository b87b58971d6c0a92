"""PLACEHOLDER (issue 3): facts → typed rules with evidence."""

from __future__ import annotations

from typing import Any

from .contract import Fact, NoticeDocument, Rule
from .normalise import Normalised

__all__ = ["facts_to_rules"]


def facts_to_rules(document: NoticeDocument, norm: Normalised, doc: Any, facts: list[Fact]) -> list[Rule]:
    return []
