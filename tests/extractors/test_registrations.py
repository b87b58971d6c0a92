"""Registered factory names (snapshot), pipeline serialisation, pattern-data errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from extractors import factories
from extractors.components import PatternRuler
from extractors.facts import build_pipeline

# The snapshot: renaming or removing one breaks saved pipelines; add .v2 names instead.
# fmt: off
REGISTERED = [
    "noticerules_amount_ruler_v1",
    "noticerules_date_ruler_v1",
    "noticerules_docno_ruler_v1",
    "noticerules_fact_resolver_v1",
    "noticerules_lookalike_ruler_v1",
    "noticerules_sentencizer_v1",
]
# fmt: on


def test_factory_names_snapshot() -> None:
    ours = sorted(n for n in Language.factories if n.startswith("noticerules"))
    assert ours == REGISTERED
    assert sorted(factories.FACTORY_NAMES) == REGISTERED


def test_factories_declare_what_they_assign() -> None:
    for name in REGISTERED:
        meta = Language.get_factory_meta(name)
        assert meta.assigns, name
        assert meta.default_config is not None, name


def test_pipeline_is_blank_zh_with_our_components() -> None:
    nlp = build_pipeline()
    assert nlp.lang == "zh"
    assert nlp.config["nlp"]["tokenizer"]["segmenter"] == "char"
    assert nlp.pipe_names == ["sentencizer", "lookalike_ruler", "date_ruler", "amount_ruler", "docno_ruler", "fact_resolver"]


TEXT = "吉医保联[2023]27号 个人缴费为每人每年380元,集中缴费期为2023年10月1日至12月31日。宁ICP备0900464号-5"


def _facts(nlp: Language) -> list[tuple[str, str, object]]:
    doc = nlp(TEXT)
    return [(s.label_, s.text, s._.fact_value) for s in doc.spans["facts"]]


def test_to_disk_from_disk_round_trip(tmp_path: Path) -> None:
    nlp = build_pipeline()
    expected = _facts(nlp)
    assert len(expected) == 3
    nlp.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "date_ruler" / "patterns.jsonl").exists()
    loaded = spacy.load(tmp_path / "pipe")
    assert loaded.pipe_names == nlp.pipe_names
    assert _facts(loaded) == expected


def test_from_disk_uses_the_saved_patterns(tmp_path: Path) -> None:
    """A pipeline saved with edited pattern data keeps its own patterns when loaded."""
    nlp = build_pipeline()
    ruler = nlp.get_pipe("amount_ruler")
    assert isinstance(ruler, PatternRuler)
    ruler.clear()
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    doc = loaded(TEXT)
    labels = [s.label_ for s in doc.spans["facts"]]
    assert "MONEY" not in labels and "DOC_NO" in labels


def test_blank_ruler_add_patterns() -> None:
    nlp = spacy.blank("zh")
    ruler = nlp.add_pipe(
        "noticerules_amount_ruler_v1",
        config={"load_default_patterns": False, "labels": ["MONEY"], "spans_key": "found"},
    )
    ruler.add_patterns([
        {"define": "NUM", "pattern": r"\d+"},
        {"label": "MONEY", "id": "yuan", "parser": "money", "pattern": r"(?P<n>{NUM})(?P<mult>)块"},
    ])
    doc = nlp("花了20块")
    assert [(s.text, s._.fact_candidates["MONEY"][0]) for s in doc.spans["found"]] == [
        ("20块", {"amount": "20", "currency": "CNY"})
    ]


@pytest.mark.parametrize(
    "record,words",
    [
        ({"label": "MONEY", "id": "x", "parser": "nope", "pattern": "a"}, ["unknown parser 'nope'", "money"]),
        ({"label": "MONEY", "id": "x", "parser": "money", "pattern": "{MISSING}"}, ["undefined macro {MISSING}", "define"]),
        ({"label": "MONEY", "id": "x", "parser": "money", "pattern": "(unclosed"}, ["'x'", "not a valid regex"]),
    ],
)
def test_bad_pattern_records_name_the_pattern_and_the_fix(record: dict[str, object], words: list[str]) -> None:
    nlp = spacy.blank("zh")
    ruler = nlp.add_pipe("noticerules_amount_ruler_v1", config={"load_default_patterns": False})
    with pytest.raises(ValueError) as exc:
        ruler.add_patterns([record])
    for w in words:
        assert w in str(exc.value)


@pytest.mark.parametrize(
    "module",
    ["extractors.components", "extractors.factories", "extractors.facts", "extractors.normalise", "extractors.values"],
)
def test_all_is_sorted_and_complete(module: str) -> None:
    import importlib
    import inspect

    mod = importlib.import_module(module)
    assert list(mod.__all__) == sorted(mod.__all__)
    for name in mod.__all__:
        assert hasattr(mod, name), name
    defined_here = [
        n
        for n, obj in vars(mod).items()
        if not n.startswith("_")
        and (inspect.isfunction(obj) or inspect.isclass(obj))
        and getattr(obj, "__module__", None) == module
    ]
    # public functions/classes are exported; factory functions are reached through spaCy
    assert sorted(n for n in defined_here if not n.startswith("make_")) == sorted(
        n for n in mod.__all__ if n in defined_here
    )
