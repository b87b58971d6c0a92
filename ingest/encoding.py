"""Bytes to text for Chinese notices: BOM, declared charset (header/meta), scored detection.

The route taken is recorded, e.g. ``"gb18030 (meta gb2312)"``, ``"utf-8 (bom)"``,
``"big5hkscs (detected)"``, and a wrong declaration is flagged ``charset_mismatch``.

    >>> bytes_to_text("居民医保".encode("gbk"), source="x.txt").encoding
    'gb18030 (detected)'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from .errors import BinaryGarbage, EmptyDocument

__all__ = [
    "Decoded",
    "bytes_to_text",
    "charset_from_content_type",
    "charset_from_html_head",
    "clean_text",
    "normalise_charset",
]


class Decoded(NamedTuple):
    """Text decoded from bytes, the route taken and any flags (charset_mismatch, …)."""

    text: str
    encoding: str
    flags: tuple[str, ...]


# Every GBK-family label is decoded as gb18030: a strict superset that decodes each valid GBK
# and GB2312 code exactly as they do (pitfalls.md); the gb2312 codec rejects two thirds of GBK.
# Big5 labels go to big5hkscs, a superset of big5 that also decodes the Hong Kong additions.
_CHARSET_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030",
    "cp936": "gb18030", "ms936": "gb18030", "windows-936": "gb18030", "euc-cn": "gb18030",
    "csgb2312": "gb18030", "gb_2312-80": "gb18030", "chinese": "gb18030", "iso-ir-58": "gb18030",
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "big5hkscs": "big5hkscs", "cp950": "big5hkscs",
    "x-x-big5": "big5hkscs", "csbig5": "big5hkscs", "cn-big5": "big5hkscs",
    "utf-8": "utf-8", "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
    "utf-16": "utf-16", "utf-16le": "utf-16-le", "utf-16be": "utf-16-be",
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
    "ascii": "cp1252", "windows-1252": "cp1252", "cp1252": "cp1252",
}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Scan this much of an HTML file for <meta charset>; gov CMS heads are long (scripts, styles
# before the meta), so more than the 1024 bytes the HTML spec prescribes.
_HEAD_BYTES = 8192
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([-\w.:]+)|<\?xml[^>]*encoding\s*=\s*["']([-\w.:]+)""",
    re.IGNORECASE,
)
_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)

# Quality is judged on a prefix: enough characters to tell GBK from Big5 reliably, bounded so
# a 10 MB single-line file costs milliseconds.
_SAMPLE_CHARS = 100_000
# A decode with more replaced sequences than this share of its non-ASCII characters is not
# that encoding; below it, the file is that encoding with a few corrupt bytes (flag mojibake).
_MAX_ERROR_RATE = 0.02
# Below this share of plausible characters (common hanzi, CJK punctuation) the bytes are not
# Chinese text in that encoding; random bytes score < 0.2, real notices > 0.95.
_MIN_QUALITY = 0.4
# Control characters (other than tab/newlines) above this share mean binary data.
_MAX_CONTROL_RATE = 0.05

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_DROP = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def normalise_charset(label: str | None) -> str | None:
    """The codec used for a declared charset label (gb2312/gbk → gb18030), or None if unknown."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower().replace("_", "-")
    if key in _CHARSET_ALIASES:
        return _CHARSET_ALIASES[key]
    import codecs

    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset label of a Content-Type header value, as written (``text/html; charset=GBK`` → ``GBK``)."""
    if not content_type:
        return None
    m = _CT_CHARSET.search(content_type)
    return m.group(1) if m else None


def charset_from_html_head(raw: bytes) -> str | None:
    """The charset label an HTML document declares in its head (meta charset, http-equiv, xml decl)."""
    m = _META_CHARSET.search(raw[:_HEAD_BYTES])
    if not m:
        return None
    return (m.group(1) or m.group(2)).decode("ascii", "replace")


def clean_text(text: str) -> str:
    """Text safe to hand on: newlines as ``\\n``, no NULs/controls/BOMs, no lone surrogates."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _DROP.sub("", text)
    # Lone surrogates cannot be encoded to UTF-8 (json output, SQLite, OpenCC would all fail).
    return _SURROGATE.sub("\ufffd", text)


@lru_cache(maxsize=65536)
def _plausible(ch: str) -> bool:
    """A character a Chinese notice plausibly contains: GB2312 (common simplified hanzi, CJK
    punctuation, pinyin, full-width forms) or Big5 level 1 (common traditional hanzi)."""
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        pass
    try:
        return 0xA1 <= ch.encode("big5")[0] <= 0xC6  # symbols + level-1 hanzi
    except UnicodeEncodeError:
        return False


def _quality(text: str) -> float:
    """Share of plausible characters among the non-ASCII ones of a prefix (1.0 if none)."""
    sample = _NON_ASCII.findall(text[:_SAMPLE_CHARS])
    if not sample:
        return 1.0
    return sum(map(_plausible, sample)) / len(sample)


def _control_rate(text: str) -> float:
    sample = text[:_SAMPLE_CHARS]
    return len(_CONTROL.findall(sample)) / len(sample) if sample else 0.0


class _Candidate(NamedTuple):
    codec: str
    text: str
    errors: int
    score: float


def _decode(raw: bytes, codec: str, non_ascii_bytes: int) -> _Candidate:
    text = raw.decode(codec, errors="replace")
    try:
        baseline = raw.count("\ufffd".encode(codec))
    except (UnicodeEncodeError, LookupError):
        baseline = 0
    errors = max(0, text.count("\ufffd") - baseline)
    # A multi-byte character is 2–4 bytes, so non_ascii_bytes / 2 approximates the characters.
    error_rate = errors / max(1, non_ascii_bytes // 2)
    score = _quality(text) - 5 * error_rate - 5 * _control_rate(text)
    return _Candidate(codec, text, errors, score)


def _looks_utf16(raw: bytes) -> str | None:
    """utf-16-le/be when a BOM-less file has NULs at every other byte (ASCII-heavy UTF-16)."""
    head = raw[:4096]
    if len(head) < 8 or head.count(0) < len(head) // 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > 3 * even:
        return "utf-16-le"
    if even > 3 * odd:
        return "utf-16-be"
    return None


def bytes_to_text(
    raw: bytes,
    *,
    source: str,
    declared: Sequence[tuple[str, str]] = (),
) -> Decoded:
    """Decode bytes to text, choosing the encoding and recording the route.

    ``declared`` lists (label, where) pairs in priority order, e.g. [("gbk", "header"),
    ("gb2312", "meta")]. Order of evidence: BOM; valid UTF-8; the declared charset if its
    text is plausible; else the best-scoring of UTF-8, GB18030 and Big5 (flagged
    charset_mismatch when something was declared, encoding_guessed when not).
    Raises EmptyDocument for no bytes and BinaryGarbage for bytes that are not text.
    """
    if not raw:
        raise EmptyDocument(source)
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            text = raw[len(bom):].decode(codec, errors="replace")
            flags = ("mojibake",) if "\ufffd" in text else ()
            return Decoded(_checked(text, source), f"{codec} (bom)", flags)

    utf16 = _looks_utf16(raw)
    if utf16:
        try:
            text = raw.decode(utf16)
        except UnicodeDecodeError:
            pass
        else:
            if _control_rate(text) < _MAX_CONTROL_RATE:
                return Decoded(_checked(text, source), f"{utf16} (detected)", ("encoding_guessed",))
    declared_codecs = [(label, where, normalise_charset(label)) for label, where in declared]
    non_ascii = len(raw.translate(None, bytes(range(128))))
    candidates: dict[str, _Candidate] = {}
    order = ["utf-8"]
    order += [c for _, _, c in declared_codecs if c and c not in order]
    order += [c for c in ("gb18030", "big5hkscs") if c not in order]

    utf8 = _decode(raw, "utf-8", non_ascii)
    candidates["utf-8"] = utf8
    if non_ascii == 0:
        # Pure ASCII reads the same in every declared charset we accept.
        route = "ascii" if not declared_codecs else f"ascii ({declared_codecs[0][1]} {declared_codecs[0][0]})"
        return Decoded(_checked(utf8.text, source), route, ())

    best: _Candidate | None = None
    if utf8.errors == 0 and _control_rate(utf8.text) < _MAX_CONTROL_RATE:
        # Valid UTF-8 with multi-byte sequences is practically never another encoding by accident.
        best = utf8
    else:
        # A declared charset that decodes cleanly to plausible text is taken without trying
        # the others; otherwise every candidate is scored and the best one wins.
        for label, where, codec in declared_codecs:
            if codec and codec != "utf-8" and codec not in candidates:
                cand = candidates[codec] = _decode(raw, codec, non_ascii)
                if cand.errors == 0 and cand.score >= 0.9:
                    best = cand
                    break
        if best is None:
            for codec in order[1:]:
                if codec not in candidates:
                    candidates[codec] = _decode(raw, codec, non_ascii)
            best = max(candidates.values(), key=lambda c: c.score)

    error_rate = best.errors / max(1, non_ascii // 2)
    if error_rate > _MAX_ERROR_RATE or (best.score < _MIN_QUALITY and non_ascii > 100):
        raise BinaryGarbage(source)

    flags: list[str] = []
    if declared_codecs:
        matched = [(label, where) for label, where, codec in declared_codecs if codec == best.codec]
        if matched:
            how = f"{matched[0][1]} {matched[0][0]}"
        else:
            label, where, _ = declared_codecs[0]
            how = f"detected; {where} said {label}"
            flags.append("charset_mismatch")
    else:
        how = "detected"
        if best.codec != "utf-8":
            flags.append("encoding_guessed")
    if best.errors:
        how += f"; {best.errors} invalid byte sequences replaced"
        flags.append("mojibake")
    encoding = best.codec if (best.codec != "utf-8" or declared_codecs or best.errors) else "utf-8"
    route = f"{encoding} ({how})" if (declared_codecs or best.codec != "utf-8" or best.errors) else "utf-8"
    return Decoded(_checked(best.text, source), route, tuple(flags))


def _checked(text: str, source: str) -> str:
    if _control_rate(text) > _MAX_CONTROL_RATE:
        raise BinaryGarbage(source)
    return clean_text(text)
