"""Package boundaries: public APIs are small and complete, and dependencies point one way."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["extractors", "ingest", "rulestore", "review_ui"]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_complete_and_importable(name: str):
    mod = importlib.import_module(name)
    exported = list(mod.__all__)
    assert exported == sorted(exported, key=lambda s: (not s.isupper(), s)) or exported == sorted(exported)
    for attr in exported:
        assert getattr(mod, attr) is not None, f"{name}.{attr}"
    public = {n for n, v in vars(mod).items()
              if not n.startswith("_") and not inspect.ismodule(v) and n not in ("annotations", "Any")}
    assert public <= set(exported), f"{name} defines public names missing from __all__: {public - set(exported)}"


def _imports(package: str) -> set[str]:
    """Top-level packages (of ours) that any module of `package` imports, with the module."""
    found = set()
    for py in (ROOT / package).rglob("*.py"):
        tree = ast.parse(py.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for n in names:
                if n.split(".")[0] in PACKAGES:
                    found.add(n)
    return found


def test_extractors_import_none_of_the_io_packages():
    assert not {m for m in _imports("extractors") if m.split(".")[0] != "extractors"}


@pytest.mark.parametrize("package", ["rulestore", "review_ui"])
def test_store_and_ui_use_only_the_pure_extractor_modules(package: str):
    bad = {m for m in _imports(package)
           if m.split(".")[0] == "extractors" and m not in ("extractors.contract", "extractors.regions")}
    assert not bad, f"{package} imports {bad}"
    assert not {m for m in _imports(package) if m.split(".")[0] == "ingest"}


def test_rulestore_never_imports_review_ui():
    assert not {m for m in _imports("rulestore") if m.split(".")[0] == "review_ui"}


def test_loading_the_store_and_ui_does_not_load_spacy():
    code = "import sys, rulestore, rulestore.api, review_ui; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"
