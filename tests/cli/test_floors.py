"""Floors in corpus/floors.json only go up: every committed version is <= the current one."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from ingest.evaluate import FLOOR_METRICS

ROOT = Path(__file__).resolve().parents[2]
FLOORS = ROOT / "corpus" / "floors.json"


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_floor_metrics_are_known():
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["floors"]
    for group, metrics in floors.items():
        assert set(metrics) <= set(FLOOR_METRICS), group


def test_no_committed_floor_is_above_the_current_one():
    try:
        revs = _git("log", "--format=%H", "--", "corpus/floors.json").split()
    except (OSError, subprocess.CalledProcessError):
        pytest.fail("git history is needed to check that floors never go down")
    current = json.loads(FLOORS.read_text(encoding="utf-8"))["floors"]
    for rev in revs:
        old = json.loads(_git("show", f"{rev}:corpus/floors.json"))["floors"]
        for group, metrics in old.items():
            for metric, value in metrics.items():
                assert metric in current.get(group, {}), f"{group}.{metric} was dropped (commit {rev[:8]})"
                assert current[group][metric] >= value, (
                    f"{group}.{metric} lowered from {value} (commit {rev[:8]}) to {current[group][metric]}"
                )
