"""The README documents every CLI command and every environment setting the code reads."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from ingest.cli import main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command_paths(group: click.Group, prefix: str = "noticerules") -> list[str]:
    paths = []
    for name, cmd in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        paths.append(path)
        if isinstance(cmd, click.Group):
            paths += _command_paths(cmd, path)
    return paths


def _documented(path: str) -> bool:
    # "noticerules rules approve" may be written "noticerules rules show ... | approve ..."
    *parents, leaf = path.split(" ")
    if f"{path} " in README or f"{path}\n" in README or f"`{path}`" in README:
        return True
    parent = " ".join(parents)
    return any(leaf in line.split() or f"| {leaf} " in line for line in README.splitlines() if parent in line)


@pytest.mark.parametrize("path", _command_paths(main))
def test_every_command_is_in_the_readme(path: str):
    assert _documented(path), f"{path!r} is not documented in README.md"


def _env_settings() -> set[str]:
    names = set()
    for pkg in ("ingest", "rulestore", "review_ui", "extractors"):
        for py in (ROOT / pkg).rglob("*.py"):
            names |= set(re.findall(r"NOTICERULES_[A-Z][A-Z_]+", py.read_text(encoding="utf-8")))
    return names


def test_every_environment_setting_is_in_the_readme():
    names = _env_settings()
    assert "NOTICERULES_DB" in names  # the scan itself works
    missing = sorted(n for n in names if n not in README)
    assert not missing, f"undocumented settings: {missing}"
