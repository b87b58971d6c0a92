"""The project's own evaluation corpus: notices, gold files, sources and their generator agree."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
OWN = CORPUS / "own"
GOLD = CORPUS / "gold"
SUFFIXES = {".txt", ".html", ".htm", ".pdf", ".docx"}
sys.path.insert(0, str(ROOT / "scripts"))
import build_corpus  # noqa: E402

from extractors.contract import FactType, Flag, RuleKind  # noqa: E402

OWN_NOTICES = sorted(p for p in OWN.iterdir() if p.is_file() and p.suffix in SUFFIXES)
OWN_GOLD = sorted(GOLD.glob("own_*.json"))
ALL_GOLD = sorted(GOLD.glob("*.json"))
SOURCES = build_corpus.sources()
UNITS = {"day", "working_day", "week", "month", "year"}
RULE_PARAMS = {
    "personal_contribution": {"amount", "currency", "per"},
    "fiscal_subsidy": {"amount", "currency", "per", "bound"},
    "enrollment_period": {"start", "end"},
    "benefit_period": {"start", "end"},
    "waiting_period": {"amount", "unit"},
    "assistance": {"mode"},
    "newborn_enrollment": {"benefit_from"},
    "benefit_start": {"from"},
    "coverage_target": {"percent", "bound"},
}


def _iso(value: str) -> dt.date:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
    return dt.date.fromisoformat(value)


def _decimal(value: str) -> None:
    assert isinstance(value, str) and re.fullmatch(r"\d+(\.\d*[1-9])?", value), f"not a normalised decimal: {value!r}"
    Decimal(value)


def _check_fact(fact: dict) -> None:
    assert set(fact) <= {"type", "value", "optional"}, fact
    kind, value = FactType(fact["type"]), fact["value"]
    if kind is FactType.DATE:
        _iso(value["date"])
    elif kind is FactType.DATE_RANGE:
        assert _iso(value["start"]) <= _iso(value["end"]), value
    elif kind is FactType.DURATION:
        assert isinstance(value["amount"], int) and value["amount"] > 0 and value["unit"] in UNITS, value
    elif kind is FactType.MONEY:
        _decimal(value["amount"])
        assert value["currency"] == "CNY"
    elif kind is FactType.PERCENT:
        _decimal(value["percent"])
    else:
        canonical = value["canonical"]
        assert str(value["year"]) in canonical and str(value["number"]) in canonical, value
        if value["issuer_code"] is not None:
            assert canonical == f"{value['issuer_code']}〔{value['year']}〕{value['number']}号", value


def _check_rule(rule: dict, notice_year: int | None) -> None:
    assert set(rule) <= {"kind", "policy_year", "params", "conditions", "optional", "flags"}, rule
    kind = RuleKind(rule["kind"])
    params = rule["params"]
    # an optional (debatable) rule may leave out the bound, so either reading matches it
    required = RULE_PARAMS[kind.value] - ({"bound"} if rule.get("optional") else set())
    assert required <= set(params), (kind, params)
    assert isinstance(rule["policy_year"], int) and 2015 <= rule["policy_year"] <= 2030, rule
    if "amount" in params and kind is not RuleKind.waiting_period:
        _decimal(params["amount"])
    for key in ("start", "end"):
        if key in params:
            _iso(params[key])
    if kind in (RuleKind.enrollment_period, RuleKind.benefit_period):
        assert params["start"] <= params["end"], rule
    if kind is RuleKind.assistance:
        mode = params["mode"]
        assert mode in {"full", "fixed", "percent"}
        assert ("amount" in params) == (mode == "fixed") and ("percent" in params) == (mode == "percent"), rule
        assert rule["conditions"].get("groups"), f"assistance without groups: {rule}"
    if kind is RuleKind.waiting_period:
        assert params["unit"] in UNITS and isinstance(params["amount"], int)
    if kind is RuleKind.personal_contribution:
        assert rule["conditions"]["scheme"] in {"basic_medical", "long_term_care"}


@pytest.mark.parametrize("path", ALL_GOLD, ids=lambda p: p.stem)
def test_gold_file_has_the_contract_shape(path: Path) -> None:
    gold = json.loads(path.read_text(encoding="utf-8"))
    assert set(gold) <= {"document", "facts", "rules", "must_flag", "not_facts"}
    doc = gold["document"]
    assert "title" in doc or "title_contains" in doc
    assert set(doc["region"]) == {"province", "city", "county", "code"}
    if doc["region"]["code"] is not None:
        assert re.fullmatch(r"\d{6}", doc["region"]["code"])
    assert doc["script"] in {"simplified", "traditional", "mixed", "unknown"}
    if doc.get("published"):
        _iso(doc["published"])
    for flag in doc.get("flags", []):
        Flag(flag)
    keys = []
    for fact in gold["facts"]:
        _check_fact(fact)
        keys.append((fact["type"], json.dumps(fact["value"], sort_keys=True)))
    assert len(keys) == len(set(keys)), f"{path.name}: a fact is listed twice"
    for rule in gold["rules"]:
        _check_rule(rule, doc.get("policy_year"))
    for cited in doc.get("cites", []):
        assert any(f["type"] == "DOC_NO" and f["value"]["canonical"] == cited for f in gold["facts"]), cited
    if "not_relevant" in doc.get("flags", []):
        assert gold["rules"] == [], f"{path.name}: a not_relevant notice has no rules"


def test_every_own_notice_has_gold_and_back() -> None:
    notices = [p.name.rsplit(".", 1)[0] for p in OWN_NOTICES]
    assert len(notices) == len(set(notices)), "two notices share a name"
    assert sorted(notices) == sorted(p.stem for p in OWN_GOLD)
    assert len(notices) >= 22
    for name in notices:
        assert re.fullmatch(r"own_\d{2}_[a-z0-9_]+", name), name


def test_every_source_builds_the_committed_file_byte_identically(tmp_path: Path) -> None:
    assert SOURCES, "no sources under corpus/own/src"
    assert build_corpus.main(["--out", str(tmp_path)]) == 0
    _assert_rebuilt_as_committed(SOURCES, tmp_path, OWN, "scripts/build_corpus.py")


def _assert_rebuilt_as_committed(sources: list, rebuilt_dir: Path, committed_dir: Path, command: str) -> None:
    for src in sources:
        rebuilt, committed = rebuilt_dir / src.out_name, committed_dir / src.out_name
        assert committed.exists(), f"{committed} not committed; run {command}"
        if rebuilt.read_bytes() == committed.read_bytes():
            continue
        # another reportlab / python-docx version may lay bytes out differently: the text must still agree
        assert src.format in ("pdf", "docx"), f"{committed} differs from its rebuild"
        assert _binary_text(rebuilt) == _binary_text(committed), f"{committed}: text differs from its rebuild"


def _binary_text(path: Path) -> str:
    import docx
    import pdfplumber

    if path.suffix == ".pdf":
        with pdfplumber.open(path) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    d = docx.Document(str(path))
    cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def test_generated_pdf_and_docx_carry_the_source_text() -> None:
    for src in SOURCES:
        if src.format not in ("pdf", "docx"):
            continue
        path = OWN / src.out_name
        text = _binary_text(path)
        flat = re.sub(r"\s+", "", text)
        for line in src.body:
            if line == "@page":
                continue
            for cell in line.strip("|").split("|"):
                assert re.sub(r"\s+", "", cell) in flat, f"{path.name}: {cell!r} missing from the extracted text"


def _declared_charset(raw: bytes) -> str | None:
    m = re.search(rb"charset=([A-Za-z0-9_-]+)", raw[:2048])
    return m.group(1).decode().lower() if m else None


def test_gbk_html_is_really_gbk_and_declares_it() -> None:
    gbk = [s for s in SOURCES if s.format.startswith("html") and s.one("encoding") == "gbk"]
    assert len(gbk) >= 2
    for src in gbk:
        raw = (OWN / src.out_name).read_bytes()
        assert _declared_charset(raw) in {"gbk", "gb2312", "gb18030"}, src.name
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        text = raw.decode("gbk")
        assert src.one("title") in text and "索引号" in text and "ICP备" in text


def test_encoded_txt_notices_are_not_utf8() -> None:
    encodings = {s.one("encoding") for s in SOURCES if s.format == "txt"}
    assert {"gb18030", "big5"} <= encodings
    for src in (s for s in SOURCES if s.format == "txt"):
        raw = (OWN / src.out_name).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert raw.decode(src.one("encoding")).rstrip("\n") == "\n".join(src.body)


def _notice_text(name: str) -> tuple[str, str]:
    """(whole text, notice body) as written: decoded file for txt/html, source text for pdf/docx."""
    for src in SOURCES:
        if src.name == name:
            body = "\n".join(src.body)
            if src.format in ("pdf", "docx"):
                return src.path.read_text(encoding="utf-8"), body
            return (OWN / src.out_name).read_bytes().decode(src.one("encoding", "utf-8")), body
    text = next(p for p in OWN_NOTICES if p.name.startswith(name + ".")).read_text(encoding="utf-8")
    return text, text


@pytest.mark.parametrize("path", OWN_GOLD, ids=lambda p: p.stem)
def test_own_gold_quotes_are_in_the_notice(path: Path) -> None:
    gold = json.loads(path.read_text(encoding="utf-8"))
    text, body = _notice_text(path.stem)
    for needle in gold["not_facts"] + gold["must_flag"]:
        assert needle in text, f"{path.name}: {needle!r} is not in the notice"
    assert 2000 <= len(body) <= 6000, f"{path.name}: the notice body has {len(body)} characters"
    doc = gold["document"]
    if doc.get("policy_year") and "not_relevant" not in doc.get("flags", []):
        assert gold["rules"], f"{path.name}: a relevant notice without rules"


def test_readme_trap_table_names_existing_notices() -> None:
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"own_\d{2}_[a-z0-9_]+", readme))
    assert named, "corpus/README.md names no notice"
    stems = {p.stem for p in OWN_GOLD}
    assert named <= stems, named - stems


def test_check_mode_reports_a_tampered_notice(tmp_path: Path) -> None:
    assert build_corpus.main(["--out", str(tmp_path)]) == 0
    assert build_corpus.main(["--check", "--out", str(tmp_path)]) == 0
    victim = tmp_path / SOURCES[0].out_name
    victim.write_bytes(victim.read_bytes() + b"\n")
    assert build_corpus.main(["--check", "--out", str(tmp_path)]) == 1


def test_malformed_source_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "own_99_bad.src"
    bad.write_text("format: txt\nno separator here\n", encoding="utf-8")
    with pytest.raises(build_corpus.CorpusSourceError, match="own_99_bad.src"):
        build_corpus.path_to_source(bad)
    bad.write_text("format: txt\nencoding: big5\n---\n简体字这个\n", encoding="utf-8")
    with pytest.raises(build_corpus.CorpusSourceError, match="big5"):
        build_corpus.source_to_bytes(build_corpus.path_to_source(bad))


def test_big5_html_declares_big5_and_carries_traditional_chrome() -> None:
    big5 = [s for s in SOURCES if s.format.startswith("html") and s.one("encoding") == "big5"]
    assert big5, "no Big5 html notice"
    for src in big5:
        raw = (OWN / src.out_name).read_bytes()
        assert _declared_charset(raw) == "big5"
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        text = raw.decode("big5")
        assert src.one("title") in text and "當前位置" in text


# ---------------------------------------------------------------- blind held-out sets built from .src

# set → (its gold prefix, what its sources' formats must include)
BUILT_SETS = {
    "holdout3": ("h3", lambda formats: {"pdf", "docx", "html-gov"} <= set(formats)),
    "holdout8": ("h8", lambda formats: formats.count("pdf") == 6 and formats.count("docx") == 4),
    "holdout24": ("h24", lambda formats: [formats.count(f) for f in ("pdf", "docx", "html-gov", "html-repost")] == [3, 3, 3, 1]),
    "holdout34": ("h34", lambda formats: [formats.count(f) for f in ("pdf", "docx", "html-gov", "html-repost")] == [3, 3, 3, 1]),
}


def _built_sources(name: str) -> list:
    src = CORPUS / name / "src"
    return build_corpus.sources(src) if src.is_dir() else []


@pytest.mark.parametrize("name", sorted(BUILT_SETS))
def test_built_set_sources_build_the_committed_files_byte_identically(name: str, tmp_path: Path) -> None:
    folder, sources = CORPUS / name, _built_sources(name)
    assert sources, f"no sources under corpus/{name}/src"
    assert build_corpus.main(["--src", str(folder / "src"), "--out", str(tmp_path)]) == 0
    _assert_rebuilt_as_committed(sources, tmp_path, folder, f"scripts/build_corpus.py --src corpus/{name}/src")


@pytest.mark.parametrize("name", sorted(BUILT_SETS))
def test_built_set_check_mode_defaults_out_to_the_src_parent(name: str) -> None:
    # --check without --out compares with corpus/<name>/, not corpus/own/
    assert build_corpus.main(["--src", str(CORPUS / name / "src"), "--check"]) == 0


@pytest.mark.parametrize("name", sorted(BUILT_SETS))
def test_built_set_notices_have_gold_and_back(name: str) -> None:
    prefix, formats_ok = BUILT_SETS[name]
    folder = CORPUS / name
    notices = sorted(p.name.rsplit(".", 1)[0] for p in folder.iterdir() if p.is_file() and p.suffix in SUFFIXES)
    assert len(notices) == 10 and len(set(notices)) == 10
    assert notices == sorted(p.stem for p in GOLD.glob(f"{prefix}_*.json"))
    assert formats_ok([s.format for s in _built_sources(name)])
    for notice in notices:
        assert re.fullmatch(rf"{prefix}_\d{{2}}_[a-z0-9_]+_\d{{4}}", notice), notice


def test_missing_src_folder_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build_corpus.main(["--src", str(tmp_path / "nope")]) == 1
    assert "nope" in capsys.readouterr().err
