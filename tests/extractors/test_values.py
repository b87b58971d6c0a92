"""The pure value parsers: Chinese numerals, dates, ranges, money, percent, durations, doc numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractors import values as V

# fmt: off
CN_NUMERALS = [
    ("零", "0"), ("〇", "0"), ("一", "1"), ("两", "2"), ("十", "10"), ("十五", "15"),
    ("二十", "20"), ("三十一", "31"), ("一百", "100"), ("百", "100"), ("一百零五", "105"),
    ("三百五十", "350"), ("一千零一", "1001"), ("两千", "2000"), ("一万五千", "15000"),
    ("十万", "100000"), ("一亿二千万", "120000000"), ("二〇二四", "2024"), ("一九九八", "1998"),
    ("壹佰", "100"), ("叁佰捌拾", "380"), ("陆佰肆拾", "640"), ("贰仟", "2000"), ("拾", "10"),
    ("五点五", "5.5"), ("零点五", "0.5"), ("六十", "60"),
]
# fmt: on


@pytest.mark.parametrize("text,expected", CN_NUMERALS)
def test_cn_to_decimal(text: str, expected: str) -> None:
    assert V.cn_to_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "五点", "元"])
def test_cn_to_decimal_rejects(text: str) -> None:
    assert V.cn_to_decimal(text) is None


# fmt: off
DATES = [
    (("2024", "9", "25"), "2024-09-25", []),
    (("2024", "09", "05"), "2024-09-05", []),
    (("二〇二四", "十", "一"), "2024-10-01", []),
    (("二〇二三", "十二", "三十一"), "2023-12-31", []),
    (("2024", "2", "29"), "2024-02-29", []),
    (("2023", "2", "29"), None, ["invalid_date"]),
    (("2007", "2", "31"), None, ["invalid_date"]),
    (("2065438", "9", "1"), None, ["corrupt"]),
    (("2065438", "2", "31"), None, ["corrupt", "invalid_date"]),
    (("2024", "13", "1"), None, ["invalid_date"]),
]
# fmt: on


@pytest.mark.parametrize("ymd,iso,flags", DATES)
def test_ymd_to_date(ymd: tuple[str, str, str], iso: str | None, flags: list[str]) -> None:
    value, got_flags = V.ymd_to_date(*ymd)
    assert (value["date"] if value else None) == iso
    assert got_flags == flags


# fmt: off
RANGES = [
    # start, end, kwargs, expected value, flags
    (("2023", "10", "1"), (None, "12", "31"), {}, ("2023-10-01", "2023-12-31"), ["year_inferred"]),
    (("2022", "9", "1"), ("2023", "2", "28"), {}, ("2022-09-01", "2023-02-28"), []),
    (("2024", "11", "1"), (None, "2", "28"), {}, ("2024-11-01", "2025-02-28"), ["year_inferred"]),
    (("2024", "9", "1"), (None, "2", None), {"next_year": True, "end_of_month": True},
     ("2024-09-01", "2025-02-28"), ["year_inferred"]),
    (("2023", "9", "1"), (None, "2", None), {"next_year": True, "end_of_month": True},
     ("2023-09-01", "2024-02-29"), ["year_inferred"]),
    (("2023", "10", "1"), (None, None, "25"), {}, ("2023-10-01", "2023-10-25"), ["year_inferred"]),
    (("2065438", "9", "1"), ("2007", "2", "31"), {}, None, ["corrupt", "invalid_date"]),
    (("2024", "12", "1"), ("2024", "1", "1"), {}, None, ["window_reversed"]),
]
# fmt: on


@pytest.mark.parametrize("start,end,kwargs,expected,flags", RANGES)
def test_range_to_value(start, end, kwargs, expected, flags) -> None:  # type: ignore[no-untyped-def]
    value, got = V.range_to_value(start, end, **kwargs)
    assert (None if value is None else (value["start"], value["end"])) == expected
    assert got == flags


def test_ym_range_covers_whole_months() -> None:
    assert V.ym_range_to_value("2022", "9", None, "11") == ({"start": "2022-09-01", "end": "2022-11-30"}, [])
    assert V.ym_range_to_value("2023", "11", None, "2")[0] == {"start": "2023-11-01", "end": "2024-02-29"}


# fmt: off
MONEY = [
    (("380", ""), "380"), (("1.5", "万"), "15000"), (("0.5", "万"), "5000"), (("1,000", ""), "1000"),
    (("350.00", ""), "350"), (("12.50", ""), "12.5"), (("3", "亿"), "300000000"),
    (("1.2", "亿"), "120000000"), (("三百五十", ""), "350"), (("壹佰", ""), "100"),
    (("5", "千"), "5000"), (("0", ""), "0"), (("0.05", ""), "0.05"),
]
# fmt: on


@pytest.mark.parametrize("args,amount", MONEY)
def test_amount_to_money(args: tuple[str, str], amount: str) -> None:
    value, flags = V.amount_to_money(*args)
    assert value == {"amount": amount, "currency": "CNY"} and flags == []
    assert "E" not in amount


def test_decimal_to_str_has_no_exponent_or_trailing_zeros() -> None:
    assert V.decimal_to_str(Decimal("1.5E+4")) == "15000"
    assert V.decimal_to_str(Decimal("60.0")) == "60"
    assert V.decimal_to_str(Decimal("0.50")) == "0.5"


@pytest.mark.parametrize("text,pct,flags", [("60", "60", []), ("六十", "60", []), ("五点五", "5.5", []),
                                            ("99.50", "99.5", []), ("150", "150", ["percent_over_100"])])
def test_percent_to_value(text: str, pct: str, flags: list[str]) -> None:
    assert V.percent_to_value(text) == ({"percent": pct}, flags)


# fmt: off
DURATIONS = [
    (("3", "月"), 3, "month"), (("90", "日"), 90, "day"), (("五", "工作日"), 5, "working_day"),
    (("五", "个工作日"), 5, "working_day"), (("1", "年"), 1, "year"), (("两", "周"), 2, "week"),
    (("十五", "天"), 15, "day"), (("2", "星期"), 2, "week"), (("30", "自然日"), 30, "day"),
]
# fmt: on


@pytest.mark.parametrize("args,amount,unit", DURATIONS)
def test_duration_to_value(args: tuple[str, str], amount: int, unit: str) -> None:
    assert V.duration_to_value(*args) == ({"amount": amount, "unit": unit}, [])


def test_docno_to_value() -> None:
    assert V.docno_to_value("吉医保联", "2023", "27") == (
        {"canonical": "吉医保联〔2023〕27号", "issuer_code": "吉医保联", "year": 2023, "number": 27},
        [],
    )
    assert V.docno_to_value("晋人社厅发", None, "12") == (None, ["incomplete"])
    assert V.docno_to_value("X发", "2065", "1")[0] is not None
    assert V.docno_to_value("X发", "3065", "1") == (None, ["corrupt"])
    assert V.docno_to_value(None, "2023", "05")[0] == {
        "canonical": "〔2023〕5号", "issuer_code": None, "year": 2023, "number": 5}
    assert V.yearseq_to_docno("2022", "9") == (
        {"canonical": "2022年第9号", "issuer_code": None, "year": 2022, "number": 9}, [])


def test_md_to_flags() -> None:
    assert V.md_to_flags("2", "31") == ["invalid_date"]
    assert V.md_to_flags("2", "29") == []
    assert V.md_to_flags("9", "1") == []
