"""Bad input: each case gives a clear error naming the input, and `extract` goes on (exit 1)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest_testkit import BAD_DIR, build_image_pdf, build_pdf
from ingest.cli import main
from ingest.errors import (
    BinaryGarbage,
    DocxParseError,
    EmptyDocument,
    FetchError,
    IngestError,
    InputNotFound,
    InputTooLarge,
    InputUnreadable,
    PdfParseError,
    UnsupportedFormat,
)
from ingest.parse import source_to_parsed
from ingest.settings import Settings

GOOD = "关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知\n个人缴费标准为每人每年380元。\n"

# fmt: off
# file in tests/ingest/bad → (error class, words its message must contain)
BAD_FILES = {
    "empty.txt":                   (EmptyDocument, ["empty.txt", "no text"]),
    "whitespace_only.txt":         (EmptyDocument, ["whitespace_only.txt", "no text"]),
    "binary_garbage.txt":          (BinaryGarbage, ["binary_garbage.txt", "binary"]),
    "nul_bytes.txt":               (BinaryGarbage, ["nul_bytes.txt", "UTF-8, GB18030, Big5"]),
    "unknown_format.x":            (UnsupportedFormat, ["unknown_format.x", "'.x'", ".docx"]),
    "legacy_word.doc":             (UnsupportedFormat, ["legacy_word.doc", "save it as .docx"]),
    "not_a_pdf.pdf":               (PdfParseError, ["not_a_pdf.pdf", "not a PDF"]),
    "not_a_docx.docx":             (DocxParseError, ["not_a_docx.docx", "word/document.xml"]),
    "corrupt_zip_docx.docx":       (DocxParseError, ["corrupt_zip_docx.docx", "re-save"]),
    "html_no_body_text.html":      (EmptyDocument, ["html_no_body_text.html", "no text"]),
}
# fmt: on


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_raises_named_error(name: str) -> None:
    cls, words = BAD_FILES[name]
    source = str(BAD_DIR / name)
    with pytest.raises(cls) as info:
        source_to_parsed(source)
    assert info.value.input == source
    for word in words:
        assert word in str(info.value)


def test_every_bad_fixture_is_covered() -> None:
    on_disk = {p.name for p in BAD_DIR.iterdir()} - {"wrong_charset_declared_utf8.html",
                                                     "wrong_charset_declared_gbk.html"}
    assert on_disk == set(BAD_FILES)


@pytest.mark.parametrize("name,route", [
    ("wrong_charset_declared_utf8.html", "gb18030 (detected; meta said utf-8)"),
    ("wrong_charset_declared_gbk.html", "utf-8 (detected; meta said gbk)"),
])
def test_wrong_declared_charset_is_decoded_and_flagged(name: str, route: str) -> None:
    parsed = source_to_parsed(str(BAD_DIR / name))
    assert parsed.encoding == route
    assert parsed.flags == ["charset_mismatch"]
    assert "每人每年380元" in parsed.text
    assert "首页" not in parsed.text  # navigation left out


def test_missing_path() -> None:
    with pytest.raises(InputNotFound, match="no-such-notice.txt: no such file"):
        source_to_parsed("no-such-notice.txt")


def test_directory_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(InputUnreadable, match="directory"):
        source_to_parsed(str(tmp_path))


def test_50mb_file_is_refused_from_stat(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:  # sparse: 50 MB on paper, nothing written
        fh.truncate(50 * 1024 * 1024)
    with pytest.raises(InputTooLarge) as info:
        source_to_parsed(str(big))
    assert info.value.size == 50 * 1024 * 1024
    assert "huge.txt" in str(info.value) and "NOTICERULES_MAX_BYTES" in str(info.value)


def test_size_limit_from_settings(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(GOOD, encoding="utf-8")
    with pytest.raises(InputTooLarge):
        source_to_parsed(str(f), settings=Settings(max_bytes=10))
    assert "380元" in source_to_parsed(str(f), settings=Settings(max_bytes=10_000)).text


def test_truncated_pdf(tmp_path: Path) -> None:
    raw = build_pdf([["关于做好2024年度城乡居民医保工作的通知", "个人缴费380元。"]])
    f = tmp_path / "cut.pdf"
    f.write_bytes(raw[: len(raw) * 2 // 3])
    with pytest.raises(PdfParseError) as info:
        source_to_parsed(str(f))
    assert str(f) in str(info.value) and "truncated" in str(info.value)


def test_corrupt_pdf_body(tmp_path: Path) -> None:
    # header and %%EOF intact, everything between replaced by junk
    raw = b"%PDF-1.4\n" + os.urandom(3000).replace(b"%%EOF", b"") + b"\n%%EOF\n"
    f = tmp_path / "junk.pdf"
    f.write_bytes(raw)
    with pytest.raises(PdfParseError, match="junk.pdf: cannot read PDF"):
        source_to_parsed(str(f))


def test_pdf_without_text_layer_is_flagged_not_failed(tmp_path: Path) -> None:
    f = tmp_path / "scan.pdf"
    f.write_bytes(build_image_pdf(2))
    parsed = source_to_parsed(str(f))
    assert parsed.text == ""
    assert parsed.flags == ["needs_ocr"]
    assert [p.page for p in parsed.pages] == [1, 2]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the with-block ends


def test_unreachable_url() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/notice.html"
    with pytest.raises(FetchError) as info:
        source_to_parsed(url, settings=Settings(connect_timeout=2, read_timeout=2))
    assert info.value.status is None
    assert url in str(info.value) and "no answer" in str(info.value)


def test_other_url_scheme() -> None:
    with pytest.raises(UnsupportedFormat, match="only http and https"):
        source_to_parsed("ftp://example.org/notice.txt")


# --- hostile text: must not crash, text stays encodable -------------------------------------

def test_lone_surrogates_and_nuls(tmp_path: Path) -> None:
    raw = ("居民医保" + "\x00" * 3).encode("utf-8") + b"\xed\xa0\x80" + "缴费380元。\n".encode("utf-8") * 50
    f = tmp_path / "hostile.txt"
    f.write_bytes(raw)
    parsed = source_to_parsed(str(f))
    assert "\x00" not in parsed.text
    parsed.text.encode("utf-8")  # no lone surrogate survives
    assert parsed.text.startswith("居民医保")
    assert "mojibake" in parsed.flags


def test_surrogate_character_references_in_html(tmp_path: Path) -> None:
    f = tmp_path / "refs.html"
    f.write_text('<html><body><div id="zoom"><p>居民医保&#xD800;缴费标准为每人每年380元，'
                 "集中缴费期为2023年9月1日至12月31日&#0;。</p></div></body></html>", encoding="utf-8")
    parsed = source_to_parsed(str(f))
    parsed.text.encode("utf-8")
    assert "380元" in parsed.text and "\x00" not in parsed.text


def test_ten_megabyte_single_line(tmp_path: Path) -> None:
    line = ("居民医保个人缴费380元" * 800_000)[: 10 * 1024 * 1024 // 3]
    for name, data in (("long.txt", line.encode("utf-8")),
                       ("long.html", f"<html><body><p>{line}</p></body></html>".encode("utf-8"))):
        f = tmp_path / name
        f.write_bytes(data)
        parsed = source_to_parsed(str(f))
        assert len(parsed.text) >= len(line)
        assert "\n" not in parsed.text.strip()


# --- the CLI goes on after a bad input and exits 1 ------------------------------------------

def test_extract_goes_on_after_bad_inputs(tmp_path: Path) -> None:
    good1, good2 = tmp_path / "good.txt", tmp_path / "good2.txt"
    good1.write_text(GOOD, encoding="utf-8")
    good2.write_bytes(GOOD.encode("gbk"))
    bad = [str(BAD_DIR / "unknown_format.x"), str(BAD_DIR / "empty.txt"),
           str(BAD_DIR / "binary_garbage.txt"), str(tmp_path / "missing.txt")]
    result = CliRunner().invoke(main, ["extract", str(good1), *bad, str(good2)])
    assert result.exit_code == 1
    out_lines = [ln for ln in result.stdout.splitlines() if ln.strip()]
    assert len(out_lines) == 2
    assert str(good1) in out_lines[0] and str(good2) in out_lines[1]
    for source in bad:
        assert f"error: {source}:" in result.stderr
    assert f"{len(bad)} of {len(bad) + 2} inputs failed" in result.stderr


def test_extract_command_line_exit_status(tmp_path: Path) -> None:
    """The installed console script, as a user runs it: good.txt bad.x good2.txt → exit 1."""
    good1, good2 = tmp_path / "good.txt", tmp_path / "good2.txt"
    good1.write_text(GOOD, encoding="utf-8")
    good2.write_text(GOOD, encoding="utf-8")
    exe = Path(sys.executable).with_name("noticerules")
    proc = subprocess.run([str(exe), "extract", str(good1), str(BAD_DIR / "unknown_format.x"),
                           str(good2)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert len(proc.stdout.splitlines()) == 2
    assert "unknown_format.x" in proc.stderr and "unsupported format" in proc.stderr


def test_every_ingest_error_names_its_input() -> None:
    assert issubclass(PdfParseError, IngestError) and issubclass(DocxParseError, IngestError)
    err = PdfParseError("a.pdf", "broken xref", page=3)
    assert str(err) == "a.pdf: cannot read PDF (page 3): broken xref" and err.page == 3


def test_extract_reports_scanned_pdf_and_exits_1(tmp_path: Path) -> None:
    good, scan = tmp_path / "good.txt", tmp_path / "scan.pdf"
    good.write_text(GOOD, encoding="utf-8")
    scan.write_bytes(build_image_pdf(1))
    result = CliRunner().invoke(main, ["extract", str(scan), str(good)])
    assert result.exit_code == 1
    assert f"error: {scan}: no text layer" in result.stderr and "needs_ocr" in result.stderr
    assert len([ln for ln in result.stdout.splitlines() if ln.strip()]) == 2  # both still printed


def test_extract_wrong_charset_html_is_not_a_failure() -> None:
    result = CliRunner().invoke(main, ["extract", str(BAD_DIR / "wrong_charset_declared_utf8.html")])
    assert result.exit_code == 0, result.stderr
    assert '"charset_mismatch"' in result.stdout  # carried into document.flags
