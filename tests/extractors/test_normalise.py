"""The normaliser: each step's output, and the offset map's properties (hypothesis)."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.normalise import Normalised, text_to_normalised

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

# fmt: off
CASES = [
    # original, normalised
    ("發(fā)文時間", "发文时间"),
    ("城鄉(xiāng)居民", "城乡居民"),
    ("自治區(qū)醫(yī)療", "自治区医疗"),
    ("當?shù)剞r業(yè)", "当 剞r业"),                 # pinyin after mojibake is still removed
    ("(verb的縮寫)", "(verb的缩写)"),            # no tone mark: not pinyin
    ("(2023)", "(2023)"),
    ("院??稍?/span>繳費", "院 稍 缴费"),           # a tag whose "<" was lost
    ("a</span>b<br/>c", "ab\nc"),
    ("x&nbsp;y&amp;z&#8203;", "x y&z"),
    ("保障局??????????\n", "保障局 \n"),
    ("\ufffd\ufffd文件", " 文件"),
    ("２０２４年９月２５日", "2024年9月25日"),
    ("６０％", "60%"),
    ("ＡＢＣ１．５万元", "ABC1.5万元"),
    ("2025 年度", "2025年度"),
    ("〔2023〕114 號", "〔2023〕114号"),
    ("〔 2023 〕 5 號", "〔2023〕5号"),
    ("2024 年 9 月 25 日", "2024年9月25日"),
    ("38 3784384", "38 3784384"),                # two numbers stay two numbers
    ("99 %以上", "99%以上"),
    ("2024年9\n月25日", "2024年9月25日"),         # a PDF line wrap inside a date
    ("〔2023〕\n114号", "〔2023〕114号"),
    ("2024年\n\n1月", "2024年\n\n1月"),          # a paragraph break stays
    ("共350\n人", "共350\n人"),                  # a wrap elsewhere stays
    ("a\u200bb\ufeffc", "abc"),
    ("a\u3000b\u00a0c", "a b c"),
    ("", ""),
]
# fmt: on


@pytest.mark.parametrize("original,expected", CASES)
def test_normalised_text(original: str, expected: str) -> None:
    assert text_to_normalised(original).text == expected


def test_offsets_land_on_original_characters() -> None:
    n = text_to_normalised("按(寧醫(yī)保發(fā)〔2023〕114 號)執(zhí)行")
    i = n.text.index("宁")
    j = n.text.index("号") + 1
    s, e = n.to_original(i, j)
    assert n.original[s:e] == "寧醫(yī)保發(fā)〔2023〕114 號"


def test_replacement_char_maps_to_the_whole_replaced_run() -> None:
    n = text_to_normalised("局????x")
    assert n.text == "局 x"
    assert n.to_original(1, 2) == (1, 5)


def test_lone_surrogates_do_not_crash() -> None:
    n = text_to_normalised("a\ud800b\udfff")
    assert "\ud800" not in n.text and n.text.startswith("a")
    n.text.encode("utf-8")


def _check_map(n: Normalised) -> None:
    assert len(n.offsets) == len(n.text) + 1
    assert n.offsets[-1] == len(n.original)
    assert all(a <= b for a, b in zip(n.offsets, n.offsets[1:]))
    assert all(0 <= o <= len(n.original) for o in n.offsets)
    assert len(n.ends) == len(n.text)
    assert all(n.offsets[i] < n.ends[i] <= len(n.original) for i in range(len(n.text)))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_offset_map_properties_any_text(text: str) -> None:
    n = text_to_normalised(text)
    _check_map(n)
    n.text.encode("utf-8")  # never a lone surrogate in the output


_NOTICE_ALPHABET = st.sampled_from(
    list("發(fā)區(qū)縣醫保號年月日元〔〕[]()（）【】 ?？\ufffd&;<>/span０１２５９％%0123456789.,，。\n\t")
    + ["&nbsp;", "</span>", "(xiāng)", "<br>", "\u3000", "\ud800", "２０２４", "年度", "萬元"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_NOTICE_ALPHABET, max_size=60).map("".join), st.data())
def test_to_original_is_a_valid_slice(text: str, data: st.DataObject) -> None:
    n = text_to_normalised(text)
    _check_map(n)
    start = data.draw(st.integers(0, len(n.text)))
    end = data.draw(st.integers(start, len(n.text)))
    s, e = n.to_original(start, end)
    assert 0 <= s <= e <= len(n.original)
    if end > start:
        # the original slice holds every char the normalised span came from
        assert e > s
        for i in range(start, end):
            assert s <= n.offsets[i] < n.ends[i] <= e


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=50))
def test_t2s_is_length_preserving_on_cjk(text: str) -> None:
    assert len(opencc.OpenCC("t2s").convert(text)) == len(text)
    assert len(text_to_normalised(text).text) == len(text)


def _corpus_texts() -> list[Path]:
    return sorted(CORPUS.glob("seeds/*.txt")) + sorted(CORPUS.glob("own/src/*.src"))


@pytest.mark.parametrize("path", _corpus_texts(), ids=lambda p: p.name)
def test_t2s_preserves_length_on_corpus(path: Path) -> None:
    """A dictionary change in OpenCC must not silently shift offsets."""
    text = path.read_text(encoding="utf-8")
    converted = opencc.OpenCC("t2s").convert(text)
    assert len(converted) == len(text)
    for line in text.splitlines():
        assert len(opencc.OpenCC("t2s").convert(line)) == len(line)


def test_t2s_fallback_keeps_length(monkeypatch: pytest.MonkeyPatch) -> None:
    """If a conversion ever changed length, the line is converted char by char instead."""
    from extractors import normalise

    def fake(text: str) -> str:  # a converter that grows one phrase
        return text.replace("醫療", "医疗疗").replace("區", "区")

    monkeypatch.setattr(normalise, "_t2s", lambda: fake)
    n = normalise.text_to_normalised("自治區醫療保障")
    assert n.text == "自治区醫療保障"
    assert len(n.text) == len(n.original)


def test_a_range_wrapped_after_its_separator_is_joined() -> None:
    # holdout34 h34_02 (a PDF line wrap): 在集中缴费期内缴费的,2026年1月1日至\n2026年12月31日享受居民医保待遇
    n = text_to_normalised("在集中缴费期内缴费的,2026年1月1日至\n2026年12月31日享受居民医保待遇。")
    assert "2026年1月1日至2026年12月31日" in n.text
    # a line ending in 至 before a heading or a word stays as it is
    assert "至\n二、" in text_to_normalised("自即日起至\n二、工作要求").text
