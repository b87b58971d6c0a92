"""Tables in notices (rows of cells split by |, as ingest writes them), read by their header.

A header column named 个人缴费 / 财政补助 / 资助标准 / 个人实际缴费 says what each row's cell is;
the first cell names the tier or group. Split from rules.py.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .clauses import sentence_to_values
from .groups import ENUMERATOR, phrase_to_groups, phrase_to_tier
from .rule_context import _Cand, _Ctx

__all__: list[str] = []

# --------------------------------------------------------------------------- tables

_Cell = tuple[int, int, str]
_Row = tuple[int, int, list[_Cell]]


def _table_blocks(text: str) -> list[list[_Row]]:
    """Runs of consecutive lines with cells split by | (ingest writes tables that way), by
    runs of spaces, or a table flattened one cell per line (see _flat_blocks)."""
    blocks = _cell_blocks(text)
    if _FLAT_HEAD_ANYWHERE.search(text):
        taken = [(b[0][0], b[-1][1]) for b in blocks]
        blocks += [b for b in _flat_blocks(text) if not any(s <= b[0][0] < e for s, e in taken)]
        blocks.sort(key=lambda b: b[0][0])
    return blocks


# a flattened table's first header cell: 类别 / 人员类别 / 资助对象 / 项目 …, alone on its line
_FLAT_FIRST = re.compile(r"^[\u4e00-\u9fff]{0,4}(?:类别|人群|对象|项目|档次|类型)$")
_FLAT_HEAD_ANYWHERE = re.compile(r"(?m)^[ \t]*[\u4e00-\u9fff]{0,4}(?:类别|人群|对象|项目|档次|类型)[ \t]*$")
_FLAT_OTHER_HEAD = re.compile(r"合计|小计|总计|资助方式|标准")
_UNIT_LINE = re.compile(r"^[(（][^()（）]{1,12}[)）]$")  # (元/人·年) under a header cell
_FLAT_CELL_BAD = re.compile(r"[。；;，,:：|]")


def _flat_blocks(text: str) -> list[list[_Row]]:
    """类别 / 个人缴费(元/人·年) / 各级财政补助(元/人·年) / 合计 / 城乡居民 / 320 / 580 / 900: a table a
    PDF or web page lost its layout from, one cell per line. The header's lines (a first-column
    word, then column names, a unit line joining the name above it) give the width; the lines after
    it, that many at a time, are its rows, up to a sentence, a heading (五、…) or a blank line."""
    lines: list[tuple[int, int, str]] = []
    pos = 0
    for raw in text.split("\n"):
        body = raw.strip()
        lines.append((pos + (raw.find(body[0]) if body else 0), pos + len(raw.rstrip()), body))
        pos += len(raw) + 1
    blocks: list[list[_Row]] = []
    i, n = 0, len(lines)
    while i < n:
        if not _FLAT_FIRST.match(lines[i][2]):
            i += 1
            continue
        header: list[_Cell] = [lines[i]]
        j = i + 1
        while j < n and lines[j][2] and len(lines[j][2]) <= 16:
            cell = lines[j][2]
            if _UNIT_LINE.match(cell):
                s, _, h = header[-1]
                header[-1] = (s, lines[j][1], h + cell)
            elif any(rx.search(cell) for _, rx in _COLUMNS) or _FLAT_OTHER_HEAD.search(cell):
                header.append(lines[j])
            else:
                break
            j += 1
        k = len(header)
        if k < 2 or not set(_header_columns(header).values()) & {"contrib", "fiscal", "assist", "net"}:
            i += 1
            continue
        rows: list[_Row] = []
        while j + k <= n:
            cells = lines[j : j + k]
            if any(not c[2] or len(c[2]) > 24 or _FLAT_CELL_BAD.search(c[2]) or ENUMERATOR.match(c[2]) for c in cells):
                break
            rows.append((cells[0][0], cells[-1][1], list(cells)))
            j += k
        if rows:
            blocks.append([(header[0][0], header[-1][1], header)] + rows)
            i = j
        else:
            i += 1
    return blocks


def _cell_blocks(text: str) -> list[list[_Row]]:
    blocks: list[list[_Row]] = []
    current: list[_Row] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if line.count("|") >= 1:
            cells, cs = [], start
            for part in line.split("|"):
                ce = cs + len(part)
                lead = len(part) - len(part.lstrip())
                stripped = part.strip()
                if stripped:
                    cells.append((cs + lead, cs + lead + len(stripped), stripped))
                cs = ce + 1
            if len(cells) >= 2:
                current.append((start, end, cells))
                continue
        elif ("  " in line or "\t" in line) and _SPACED.search(line.strip()):
            # 资助对象　　　　资助标准　　　　个人实际缴费: a plain-text table whose columns are
            # aligned with (full-width) spaces; the normaliser made them runs of spaces
            cells = [(start + m.start(), start + m.end(), m.group()) for m in _SPACED_CELL.finditer(line)]
            head = current[0][2] if current else None
            if head is not None and len(cells) == len(head) - 1:
                # 重度残疾人（一、二级）　定额资助300元: a long first cell left one space before the next
                j = next((k for k, c in enumerate(cells) if " " in c[2]), None)
                if j is not None:
                    cs, ce, cell = cells[j]
                    cut = cell.index(" ")
                    cells[j : j + 1] = [(cs, cs + cut, cell[:cut]), (cs + cut + 1, ce, cell[cut + 1 :])]
            if len(cells) >= 2:
                current.append((start, end, cells))
                continue
        if len(current) >= 2:
            blocks.append(current)
        current = []
    if len(current) >= 2:
        blocks.append(current)
    return blocks


_SPACED = re.compile(r"\S(?: {2,}|\t+)\S")
_SPACED_CELL = re.compile(r"[^\s]+(?: [^\s]+)*")  # a cell: words with single spaces inside (tabs and runs split cells)

_COLUMNS = (
    ("net", re.compile(r"实际缴费|实际缴纳|个人实际|个人实缴|个人负担|个人承担")),
    ("contrib", re.compile(r"个人缴费|个人缴纳|缴费标准")),
    ("fiscal", re.compile(r"财政补助|财政补贴|政府补助")),
    ("assist", re.compile(r"资助标准|资助金额|资助方式|资助额|补助标准|资助比例|资助")),
    ("skip", re.compile(r"合计|总额|筹资")),
)


_GRADE = re.compile(r"^\s*(?:[高中低一二三四五六1-6]\s*档|第[一二三四五六1-6]档)\s*$")


def _header_columns(header: list[_Cell]) -> dict[int, str]:
    cols: dict[int, str] = {}
    for j, (_, _, h) in enumerate(header):
        if j == 0:
            continue
        for name, rx in _COLUMNS:
            if rx.search(h):
                cols[j] = name
                break
    return cols


def _table_is_read(block: list[_Row]) -> bool:
    """Whether _table_rules reads this table by its columns (its rows are then not sentences)."""
    if set(_header_columns(block[0][2]).values()) & {"contrib", "fiscal", "assist"}:
        return True
    if _year_columns(block[0][2]):
        return any(_row_kind(cells[0][2]) is not None for _, _, cells in block[1:])
    return False


def _table_rules(ctx: _Ctx, blocks: list[list[_Row]]) -> list[_Cand]:
    out: list[_Cand] = []
    text = ctx.norm.text
    for block in blocks:
        header = block[0][2]
        cols = _header_columns(header)
        if not cols or not (set(cols.values()) & {"contrib", "fiscal", "assist"}):
            out += _year_column_rules(ctx, block)
            continue
        # the year: a YYYY年度 in the two lines before the table, else the notice's
        # (the line above the table: its caption, not a comparison further up)
        before = ([ln for ln in text[max(0, block[0][0] - 200) : block[0][0]].split("\n") if ln.strip()] or [""])[-1]
        years = [int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年度", before)]
        # (the notice's own year when the lines before name it: 2024年度为640元 there is a comparison)
        year = ctx.policy_year if ctx.policy_year in years else (
            years[-1] if years and (ctx.policy_year is None or abs(years[-1] - ctx.policy_year) <= 1) else ctx.policy_year)
        conf = 0.88 if year is not None else 0.6
        for rs, re_, cells in block[1:]:
            if len(cells) != len(header):
                continue  # a row that lost or gained a cell cannot be read by its header
            first = cells[0][2]
            by_col = {cols[j]: cells[j] for j in cols if j < len(cells)}
            row_year = _YEAR_HEAD.match(first)  # 年度 | 个人缴费 | 财政补助 / 2023年度 | 380 | 640: a row per year
            # the row's own words (未成年人、在校大学生), so the prose saying it again is the same rule
            tier = (re.sub(r"[(（][^()（）]*[)）]", "", first).strip() if phrase_to_tier(first)
                    else re.sub(r"[(（].*$", "", first).strip())
            # a grade column (档次: 高档 / 低档 / 一档) splits one population in two
            grade = next((c[2] for j, c in enumerate(cells[1:], 1) if j not in cols and _GRADE.match(c[2])), None)
            if grade:
                tier = f"{tier}（{grade}）"
            if row_year:
                tier = "all"
            span = (rs, re_)
            for name, kind in (("contrib", "personal_contribution"), ("fiscal", "fiscal_subsidy")):
                if name not in by_col or "assist" in by_col:
                    continue
                amount = _cell_amount(by_col[name][2])
                if amount is None:
                    continue
                params: dict[str, Any] = {"amount": amount, "currency": "CNY", "per": "person_year"}
                cond: dict[str, Any] = {"population": tier}
                if kind == "personal_contribution":
                    cond = {"scheme": "basic_medical", "population": tier}
                else:
                    params["bound"] = "exact"
                    cond = {} if row_year else cond
                out.append(_Cand(kind, int(row_year.group(1)) if row_year else year, params, cond, span, conf, [], order=rs))
            if "assist" in by_col:
                cell = by_col["assist"][2]
                vals = sentence_to_values(cell)
                params = {}
                # 资助方式 | 资助金额: the way (全额资助, 按…70%资助) decides over the amount column
                ways = [cells[j][2] for j, name in cols.items() if name == "assist" and j < len(cells)]
                pcts = [v for w in ways if "%" in w or "％" in w or "百分之" in w
                        for v in sentence_to_values(w) if v.type == "PERCENT" and v.value]
                if any("全额" in w for w in ways):
                    params = {"mode": "full"}
                elif pcts:
                    params = {"mode": "percent", "percent": pcts[0].value["percent"]}
                else:
                    amount = _cell_amount(cell)
                    if amount is not None:
                        params = {"mode": "fixed", "amount": amount, "currency": "CNY"}
                if params.get("mode") in ("fixed", "percent"):
                    # beside an assistance column, 个人缴费 is what the person still pays
                    net_col = by_col.get("net") or by_col.get("contrib")
                    if net_col is not None:
                        net = _cell_amount(net_col[2])
                        if net is not None:
                            params["net_personal_amount"] = net
                if not params:
                    continue
                groups = phrase_to_groups(first)
                same = next((c for c in out if c.kind == "assistance" and c.params == params and c.order >= block[0][0]), None)
                if same is not None:  # 特困人员 | 全额资助 and 孤儿 | 全额资助: one rule, both rows
                    have = same.conditions.setdefault("groups", [])
                    have += [g for g in groups if g not in have]
                    same.also.append(span)
                    continue
                out.append(_Cand("assistance", year, params, {"groups": groups} if groups else {}, span, conf, [],
                                 order=rs))
    return out


_YEAR_HEAD = re.compile(r"^\s*((?:19|20)\d{2})\s*年度?\s*$")
_FLOOR_NOTE = re.compile(r"不低于(?:上表|表中|以上|上述)")


def _year_column_rules(ctx: _Ctx, block: list[_Row]) -> list[_Cand]:
    """项目 | 2025年度 | 2026年度 / 个人缴费 | 400 | 420: a table with a column per year and a row
    per standard; each cell is that year's rule (a note under it, 财政补助不低于上表所列标准,
    makes the subsidies floors)."""
    years = _year_columns(block[0][2])
    if not years:
        return []
    text = ctx.norm.text
    note = text[block[-1][1] : block[-1][1] + 80].split("\n\n", 1)[0]
    out: list[_Cand] = []
    for rs, re_, cells in block[1:]:
        if len(cells) != len(block[0][2]):
            continue
        kind = _row_kind(cells[0][2])
        if kind is None:
            continue
        for j, year in years.items():
            amount = _cell_amount(cells[j][2])
            if amount is None:
                continue
            params: dict[str, Any] = {"amount": amount, "currency": "CNY", "per": "person_year"}
            if kind == "contrib":
                cand = _Cand("personal_contribution", year, params, {"scheme": "basic_medical", "population": "all"},
                             (rs, re_), 0.85, [], order=cells[j][0])
            else:
                # 不低于550元 in the cell itself, or the row's label: 财政补助标准(元/人·年,不低于)
                floor_cell = re.search(r"不低于|不少于|以上", cells[j][2]) or re.search(r"不低于|不少于", cells[0][2])
                params["bound"] = "min" if floor_cell or ("财政" in note and _FLOOR_NOTE.search(note)) else "exact"
                cand = _Cand("fiscal_subsidy", year, params, {}, (rs, re_), 0.85, [], order=cells[j][0])
            out.append(cand)
    return out


def _year_columns(header: list[_Cell]) -> dict[int, int]:
    """Column index → year for the header cells after the first that are a year (2025年度)."""
    return {j: int(m.group(1)) for j, (_, _, h) in enumerate(header) if j and (m := _YEAR_HEAD.match(h))}


def _row_kind(label: str) -> str | None:
    """"contrib" or "fiscal" for a year-column table's row of amounts (by its label), else None."""
    kind = next((name for name, rx in _COLUMNS if rx.search(label)), None)
    return kind if kind in ("contrib", "fiscal") else None


def _cell_amount(cell: str) -> str | None:
    """400 / 400元 / 每人每年资助200元 → "400"; None for anything else."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:元)?\s*", cell)
    if m:
        return format(Decimal(m.group(1)).normalize(), "f")
    money = [v for v in sentence_to_values(cell) if v.type == "MONEY" and v.value]
    if len(money) == 1 and "万" not in money[0].text and "亿" not in money[0].text:
        return str(money[0].value["amount"])
    return None


