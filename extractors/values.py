"""Pure value parsers: Chinese numerals, dates, money, percentages, durations, document numbers.

No spaCy, no regex scanning of whole texts: each function takes the pieces a pattern
captured and returns the contract's value shape plus flags (contract.md "Fact types
and values"). ``None`` as a value means "cannot be trusted"; the flags say why.

    >>> cn_to_decimal("三百五十")
    Decimal('350')
    >>> ymd_to_date("二〇二四", "十", "一")
    ({'date': '2024-10-01'}, [])
    >>> amount_to_money("1.5", "万")
    ({'amount': '15000', 'currency': 'CNY'}, [])
    >>> ymd_to_date("2023", "2", "31")
    (None, ['invalid_date'])
"""

from __future__ import annotations

import calendar
import datetime as _dt
from decimal import Decimal, InvalidOperation

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "amount_to_money",
    "cn_to_decimal",
    "decimal_to_str",
    "docno_to_value",
    "duration_to_value",
    "md_to_flags",
    "number_to_decimal",
    "percent_to_value",
    "range_to_value",
    "yearseq_to_docno",
    "ym_range_to_value",
    "ymd_to_date",
]

# A notice about resident medical insurance (introduced 2003-2016) cannot speak of years
# outside this window; anything else is digit garbage such as 2065438年 (65438 = 一 garbled).
MIN_YEAR = 1949
MAX_YEAR = 2100

_CN_DIGITS: dict[str, int] = {
    "〇": 0, "零": 0, "○": 0, "Ｏ": 0, "０": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "两": 2, "贰": 2, "貳": 2, "兩": 2, "貮": 2,
    "三": 3, "叁": 3, "參": 3, "叄": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
_CN_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG_UNITS: dict[str, int] = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_CN_POINT = "点點"

_MULTIPLIERS: dict[str, Decimal] = {
    "": Decimal(1), "十": Decimal(10), "百": Decimal(100), "千": Decimal(1000),
    "万": Decimal(10_000), "萬": Decimal(10_000),
    "亿": Decimal(100_000_000), "億": Decimal(100_000_000),
    "十万": Decimal(100_000), "百万": Decimal(1_000_000), "千万": Decimal(10_000_000),
}  # fmt: skip

_UNITS = {
    "日": "day", "天": "day", "自然日": "day", "工作日": "working_day",
    "周": "week", "星期": "week", "月": "month", "年": "year",
}  # fmt: skip


def _cn_integer(s: str) -> int | None:
    """Parse the integer part of a Chinese numeral ("三百零五", "二〇二四", "一万五千")."""
    if not s:
        return None
    if all(ch in _CN_DIGITS for ch in s):
        # positional digits: 二〇二四 → 2024 (a single digit is just itself)
        n = 0
        for ch in s:
            n = n * 10 + _CN_DIGITS[ch]
        return n
    total = section = 0
    number: int | None = None
    last_unit = 0
    for ch in s:
        if ch in _CN_DIGITS:
            number = _CN_DIGITS[ch]
        elif ch in _CN_SMALL_UNITS:
            unit = _CN_SMALL_UNITS[ch]
            section += (1 if number is None else number) * unit
            number, last_unit = None, unit
        elif ch in _CN_BIG_UNITS:
            unit = _CN_BIG_UNITS[ch]
            section += number or 0
            if section == 0 and total == 0:
                section = 1
            if unit == 100_000_000:
                total = (total + section) * unit
            else:
                total += section * unit
            section, number, last_unit = 0, None, unit
        else:
            return None
    if number is not None:
        section += number
    return total + section


def cn_to_decimal(s: str) -> Decimal | None:
    """A Chinese numeral (lower-case, capital 壹贰叁 or positional 二〇二四; 点 for decimals) → Decimal."""
    s = s.strip()
    if len(s) > 1 and s[-1] in _CN_BIG_UNITS and any(p in s for p in _CN_POINT):
        head = cn_to_decimal(s[:-1])  # 三点八亿 = 3.8 × 10⁸
        return None if head is None else head * _CN_BIG_UNITS[s[-1]]
    for point in _CN_POINT:
        if point in s:
            whole, _, frac = s.partition(point)
            w = _cn_integer(whole) if whole else 0
            if w is None or not frac or any(ch not in _CN_DIGITS for ch in frac):
                return None
            return Decimal(f"{w}." + "".join(str(_CN_DIGITS[ch]) for ch in frac))
    n = _cn_integer(s)
    return None if n is None else Decimal(n)


def number_to_decimal(s: str) -> Decimal | None:
    """Arabic ("1,000", "0.5") or Chinese numeral → Decimal; None when it is neither."""
    s = s.strip()
    if not s:
        return None
    if s[0].isascii():
        try:
            return Decimal(s.replace(",", "").replace(" ", ""))
        except InvalidOperation:
            return None
    return cn_to_decimal(s)


def _int(s: str | None) -> int | None:
    if s is None or s == "":
        return None
    d = number_to_decimal(s)
    if d is None or d != d.to_integral_value():
        return None
    return int(d)


def decimal_to_str(d: Decimal) -> str:
    """A decimal string with no exponent and no trailing zeros ("15000", "0.5", "60")."""
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    return format(d.normalize(), "f")


def ymd_to_date(
    year: str | int | None, month: str | int | None, day: str | int | None
) -> tuple[dict[str, str] | None, list[str]]:
    """Year/month/day pieces (arabic or Chinese) → ({"date": ISO} | None, flags)."""
    y = year if isinstance(year, int) else _int(year)
    m = month if isinstance(month, int) else (1 if month == "元" else _int(month))
    d = day if isinstance(day, int) else _int(day)
    if y is None or m is None or d is None:
        return None, ["corrupt"]
    if not MIN_YEAR <= y <= MAX_YEAR:
        flags = ["corrupt"]
        if not _valid_md(m, d):
            flags.append("invalid_date")
        return None, flags
    try:
        return {"date": _dt.date(y, m, d).isoformat()}, []
    except ValueError:
        return None, ["invalid_date"]


def _valid_md(m: int, d: int) -> bool:
    # 2000 is a leap year, so 2月29日 without a year counts as possible
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(2000, m)[1]


def md_to_flags(month: str, day: str) -> list[str]:
    """Flags for a month-day without a year: [] when it is a possible date."""
    m, d = _int(month), _int(day)
    if m is None or d is None:
        return ["corrupt"]
    return [] if _valid_md(m, d) else ["invalid_date"]


def range_to_value(
    start: tuple[str | None, str | None, str | None],
    end: tuple[str | None, str | None, str | None],
    *,
    next_year: bool = False,
    end_of_month: bool = False,
) -> tuple[dict[str, str] | None, list[str]]:
    """Two (year, month, day) triples → ({"start","end"} | None, flags).

    An end without a year takes the start's year (flag ``year_inferred``), or the next
    year when that would put it before the start, or when the text says so (``次年``,
    ``next_year``); an end without a month takes the start's month; ``end_of_month``
    (``2月底``) ends on the month's last day. A bad endpoint makes the whole value null,
    with every endpoint's flags.
    """
    flags: list[str] = []
    sv, sflags = ymd_to_date(*start)
    ey, em, ed = end
    sy, sm = _int(start[0]), _int(start[1])
    if not em:
        em = str(sm) if sm is not None else None
    if not ey:
        flags.append("year_inferred")
        if sy is not None and next_year:
            ey = str(sy + 1)
        elif sy is not None:
            ey = str(sy)
    if end_of_month:
        y2, m2 = _int(ey), _int(em)
        if y2 is not None and m2 is not None and MIN_YEAR <= y2 <= MAX_YEAR and 1 <= m2 <= 12:
            ed = str(calendar.monthrange(y2, m2)[1])
    if not end[0] and not next_year and sv is not None and sy is not None:
        end_try, _ = ymd_to_date(ey, em, ed)
        if end_try is not None and end_try["date"] < sv["date"]:
            ey = str(sy + 1)
            if end_of_month and (m2 := _int(em)) is not None and 1 <= m2 <= 12:
                ed = str(calendar.monthrange(sy + 1, m2)[1])
    ev, eflags = ymd_to_date(ey, em, ed)
    for f in sflags + eflags:
        if f not in flags:
            flags.append(f)
    if sv is None or ev is None:
        return None, flags
    if ev["date"] < sv["date"]:
        flags.append("window_reversed")
        return None, flags
    return {"start": sv["date"], "end": ev["date"]}, flags


def ym_range_to_value(
    year: str, month1: str, year2: str | None, month2: str
) -> tuple[dict[str, str] | None, list[str]]:
    """"2023年9月至12月" → first day of the first month .. last day of the last month."""
    y1, m1, m2 = _int(year), _int(month1), _int(month2)
    y2 = _int(year2) if year2 else y1
    if y1 is None or m1 is None or m2 is None or y2 is None:
        return None, ["corrupt"]
    if not year2 and m2 < m1:
        y2 = y1 + 1
    if not (MIN_YEAR <= y1 <= MAX_YEAR and MIN_YEAR <= y2 <= MAX_YEAR):
        return None, ["corrupt"]
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
        return None, ["invalid_date"]
    start = _dt.date(y1, m1, 1)
    end = _dt.date(y2, m2, calendar.monthrange(y2, m2)[1])
    if end < start:
        return None, ["window_reversed"]
    return {"start": start.isoformat(), "end": end.isoformat()}, []


_CURRENCIES = {"": "CNY", "人民币": "CNY", "美": "USD", "港": "HKD", "欧": "EUR"}


def amount_to_money(
    number: str, multiplier: str = "", *, currency: str = "", jiao: str = "", fen: str = ""
) -> tuple[dict[str, str] | None, list[str]]:
    """"1.5" + "万" → {"amount": "15000", "currency": "CNY"}; 角/分 add tenths/hundredths.

    ``currency`` is the character before 元 (美 → USD, 港 → HKD, 欧 → EUR; none → CNY).
    """
    d = number_to_decimal(number)
    mult = _MULTIPLIERS.get(multiplier.strip())
    code = _CURRENCIES.get(currency.strip())
    if d is None or mult is None or code is None:
        return None, ["corrupt"]
    amount = d * mult
    for part, scale in ((jiao, Decimal("0.1")), (fen, Decimal("0.01"))):
        if part:
            p = number_to_decimal(part)
            if p is None:
                return None, ["corrupt"]
            amount += p * scale
    return {"amount": decimal_to_str(amount), "currency": code}, []


def percent_to_value(number: str, *, per_mille: bool = False) -> tuple[dict[str, str] | None, list[str]]:
    """"60" / "六十" / "五点五" → {"percent": "60"}; over 100 is kept and flagged.

    ``per_mille`` (千分之五) divides by ten: 千分之五 is 0.5 percent.
    """
    d = number_to_decimal(number)
    if d is None:
        return None, ["corrupt"]
    if per_mille:
        d = d / 10
    flags = ["percent_over_100"] if d > 100 else []
    return {"percent": decimal_to_str(d)}, flags


def duration_to_value(number: str, unit: str) -> tuple[dict[str, int | str] | None, list[str]]:
    """"五" + "工作日" → {"amount": 5, "unit": "working_day"}."""
    if number == "半" and unit in ("年", "个年"):  # 半年 = six months
        return {"amount": 6, "unit": "month"}, []
    n = _int(number)
    u = _UNITS.get(unit.replace("个", "").replace("個", ""))
    if n is None or u is None:
        return None, ["corrupt"]
    return {"amount": n, "unit": u}, []


def docno_to_value(
    issuer: str | None, year: str | int | None, number: str | int | None
) -> tuple[dict[str, object] | None, list[str]]:
    """Issuer code (simplified), year and serial number → the canonical DOC_NO value.

    ``year`` None gives a null value flagged ``incomplete``; an impossible year, ``corrupt``.
    An empty issuer (``2022年第9号`` style, or a bare ``〔2023〕5号``) canonicalises
    without one: ``issuer_code`` is null.
    """
    y = year if isinstance(year, int) else _int(year)
    n = number if isinstance(number, int) else _int(number)
    if n is None:
        return None, ["corrupt"]
    if y is None:
        return None, ["incomplete"]
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None, ["corrupt"]
    code = issuer or None
    canonical = f"{code or ''}〔{y}〕{n}号"
    return {"canonical": canonical, "issuer_code": code, "year": y, "number": n}, []


def yearseq_to_docno(year: str, number: str) -> tuple[dict[str, object] | None, list[str]]:
    """"2022年第9号" (a 通告's serial) → canonical "2022年第9号", issuer_code null."""
    y, n = _int(year), _int(number)
    if y is None or n is None or not MIN_YEAR <= y <= MAX_YEAR:
        return None, ["corrupt"]
    return {"canonical": f"{y}年第{n}号", "issuer_code": None, "year": y, "number": n}, []
