"""Rebuild the generated corpus notices (corpus/own/*.html|pdf|docx and encoded .txt) from corpus/own/src/*.src.

    .venv/bin/python scripts/build_corpus.py            # rebuild every generated notice
    .venv/bin/python scripts/build_corpus.py --check    # exit 1 if a rebuild differs from the committed file
    .venv/bin/python scripts/build_corpus.py --out DIR  # write the rebuilt files to DIR instead
    .venv/bin/python scripts/build_corpus.py --src corpus/holdout3/src  # another folder's sources (out: its parent)

A source file is UTF-8 text: a header of ``key: value`` lines (keys may repeat), a line ``---``, then
the notice body, one paragraph per line. Body lines starting with ``|`` form a table (cells split on
``|``); a line ``#`` + text is a heading; a line ``@page`` forces a page break (PDF only).
The header's ``format`` says what to build:

- ``html-gov``    a government-site page (nav, breadcrumbs, 索引号… metadata table, #zoom body, footer);
                  ``layout: br`` puts the body in one layout-table cell split by <br> (old CMS pages)
- ``html-repost`` a repost site's page whose wrapper (<title>, site headline) is the ``wrapper`` key
- ``html-plain``  a plain page (procurement portals and the like)
- ``pdf``         an A4 PDF (reportlab, WenQuanYi Zen Hei subfont 0), ``header`` key = running header
- ``docx``        a Word document (python-docx)
- ``txt``         the body as text in the header's ``encoding`` (gb18030, big5, …)

Every output is deterministic: reportlab runs with ``invariant=1`` and the DOCX zip entries get a fixed
timestamp, so a rebuild is byte-identical to the committed file.
"""

from __future__ import annotations

import argparse
import html
import io
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC_DIR = ROOT / "corpus" / "own" / "src"
OUT_DIR = ROOT / "corpus" / "own"
FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # Debian fonts-wqy-zenhei; noto-cjk fails (pitfalls.md)
FONT_NAME = "WQYZenHei"
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
_SUFFIX = {"html-gov": ".html", "html-repost": ".html", "html-plain": ".html", "pdf": ".pdf", "docx": ".docx", "txt": ".txt"}


class CorpusSourceError(ValueError):
    """A source file under corpus/own/src/ is malformed; the message names the file and the fix."""


@dataclass
class Source:
    path: Path
    header: dict[str, list[str]]
    body: list[str]
    name: str = field(init=False)

    def __post_init__(self) -> None:
        self.name = self.path.name.removesuffix(".src")

    def one(self, key: str, default: str | None = None) -> str:
        values = self.header.get(key)
        if not values:
            if default is None:
                raise CorpusSourceError(f"{self.path}: header key {key!r} missing; add a line '{key}: …' above ---")
            return default
        return values[0]

    def many(self, key: str) -> list[str]:
        return self.header.get(key, [])

    @property
    def format(self) -> str:
        return self.one("format")

    @property
    def out_name(self) -> str:
        if self.format not in _SUFFIX:
            raise CorpusSourceError(f"{self.path}: unknown format {self.format!r}; use one of {sorted(_SUFFIX)}")
        return self.name + _SUFFIX[self.format]


def path_to_source(path: Path) -> Source:
    """Parse one ``.src`` file into its header and body lines."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    if not sep:
        raise CorpusSourceError(f"{path}: no '---' line between header and body")
    header: dict[str, list[str]] = {}
    for line in head.splitlines():
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        if not colon:
            raise CorpusSourceError(f"{path}: header line {line!r} is not 'key: value'")
        header.setdefault(key.strip(), []).append(value.strip())
    return Source(path, header, body.rstrip("\n").split("\n"))


def _blocks(lines: list[str]) -> list[tuple[str, object]]:
    """Group body lines into ("p", text), ("h", text), ("table", rows), ("page", None)."""
    out: list[tuple[str, object]] = []
    rows: list[list[str]] = []
    for line in lines + [""]:
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        if rows:
            out.append(("table", rows))
            rows = []
        if line == "@page":
            out.append(("page", None))
        elif line.startswith("#"):
            out.append(("h", line[1:].strip()))
        elif line.strip() or out:
            out.append(("p", line))
    while out and out[-1] == ("p", ""):
        out.pop()
    return out


# ---------------------------------------------------------------- txt

def source_to_txt(src: Source) -> bytes:
    encoding = src.one("encoding", "utf-8")
    text = "\n".join(src.body) + "\n"
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise CorpusSourceError(f"{src.path}: {text[exc.start:exc.end]!r} cannot be encoded as {encoding}; rewrite it") from exc


# ---------------------------------------------------------------- html

def _html_body(src: Source, raw_html: bool) -> str:
    if src.one("layout", "p") == "br":
        # old CMS pages: the whole body in one layout-table cell, lines split by <br>
        lines = [str(v) if raw_html else html.escape(str(v)) for k, v in _blocks(src.body) if k in ("p", "h")]
        cell = "<br />\n&nbsp;&nbsp;&nbsp;&nbsp;".join(lines)
        return f'<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td class="bt_content">\n{cell}\n</td></tr></table>'
    parts: list[str] = []
    for kind, value in _blocks(src.body):
        if kind == "table":
            cells = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>\n" for row in value  # type: ignore[union-attr]
            )
            parts.append(f'<table border="1" cellspacing="0" cellpadding="4" class="MsoTable">\n{cells}</table>')
        elif kind == "h":
            parts.append(f'<p style="text-align:center"><strong>{html.escape(str(value))}</strong></p>')
        elif kind == "p":
            # body lines may carry deliberate inline markup (spans, &nbsp;) when the source says raw-html
            text = str(value) if raw_html else html.escape(str(value))
            parts.append(f'<p style="text-indent:2em;line-height:1.75">{text}</p>' if text else "<p>&nbsp;</p>")
    return "\n".join(parts)


# the page chrome's own words; a traditional-script page (``labels: traditional``) gets them in
# traditional characters, as sites' 繁體版 do (and Big5 cannot encode the simplified ones)
_LABELS = {
    "simplified": {"here": "当前位置", "you": "您的位置", "time": "发布时间", "source": "来源", "font": "字体",
                   "print": "打印", "hint": "请输入关键字", "search": "搜索", "related": "相关链接", "stats": "统计代码",
                   "keywords": "城乡居民医保", "editor": "编辑", "when": "时间", "reads": "阅读",
                   "share": "分享到:微信 微博 QQ空间"},
    "traditional": {"here": "當前位置", "you": "您的位置", "time": "發佈時間", "source": "來源", "font": "字體",
                    "print": "列印", "hint": "請輸入關鍵字", "search": "搜尋", "related": "相關連結", "stats": "統計代碼",
                    "keywords": "城鄉居民醫保", "editor": "編輯", "when": "時間", "reads": "閱讀",
                    "share": "分享到:微信 微博 QQ空間"},
}


def source_to_html(src: Source) -> bytes:
    encoding = src.one("encoding", "utf-8")
    lab = _LABELS[src.one("labels", "simplified")]
    charset = src.one("charset", encoding)
    raw_html = src.one("raw-html", "no") == "yes"
    title = src.one("title")
    fmt = src.format
    esc = html.escape
    nav = "".join(f'<li><a href="/{i}/">{esc(n)}</a></li>' for i, n in enumerate(src.many("nav")))
    crumbs = " &gt; ".join(f'<a href="/c{i}/">{esc(c)}</a>' for i, c in enumerate(src.many("crumb")))
    related = "".join(f'<li><a href="/r{i}.html">{esc(r)}</a></li>' for i, r in enumerate(src.many("related")))
    footer = "".join(f"<p>{esc(f)}</p>" for f in src.many("footer"))
    site = esc(src.one("site", ""))
    body = _html_body(src, raw_html)
    if fmt == "html-gov":
        meta_items = [m.split("=", 1) for m in src.many("meta")]
        cells = []
        for i in range(0, len(meta_items), 2):
            pair = meta_items[i : i + 2]
            if len(pair) == 1 and pair[0][0] == "标题":
                cells.append(f'<tr><th>{esc(pair[0][0])}:</th><td colspan="3">{esc(pair[0][1])}</td></tr>')
                continue
            cells.append("<tr>" + "".join(f"<th>{esc(k)}:</th><td>{esc(v)}</td>" for k, v in pair) + "</tr>")
        meta = '<table class="xxgk_table" width="100%">\n' + "\n".join(cells) + "\n</table>"
        main = f"""<div class="position">{lab["here"]}:{crumbs}</div>
<div class="xxgk_info">
{meta}
</div>
<div class="article">
<h1 class="article_title">{esc(title)}</h1>
<div class="article_info">{lab["time"]}:{esc(src.one("date", ""))}&nbsp;&nbsp;{lab["source"]}:{esc(src.one("source", ""))}&nbsp;&nbsp;【{lab["font"]}:<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】&nbsp;&nbsp;<a href="javascript:window.print()">{lab["print"]}</a></div>
<div id="zoom" class="TRS_Editor">
{body}
</div>
<div class="attach">{esc(src.one("attach", ""))}</div>
</div>"""
        page_title = f"{title}_{src.one('site')}"
    elif fmt == "html-repost":
        wrapper = src.one("wrapper")
        main = f"""<div class="position">{lab["you"]}:{crumbs}</div>
<div class="news_head"><h1>{esc(wrapper)}</h1>
<div class="news_info">{lab["source"]}:{esc(src.one("source", ""))} &nbsp; {lab["editor"]}:{esc(src.one("editor", ""))} &nbsp; {lab["when"]}:{esc(src.one("date", ""))} &nbsp; {lab["reads"]}:<span id="hits">3721</span></div></div>
<div class="news_content">
<p class="summary">{esc(src.one("summary", ""))}</p>
<p style="text-align:center"><strong>{esc(title)}</strong></p>
{body}
</div>
<div class="share">{lab["share"]}</div>"""
        page_title = f"{wrapper}-{src.one('site')}"
    else:
        main = f"""<div class="position">{crumbs}</div>
<div class="detail"><h2 class="title">{esc(title)}</h2>
<div class="info">{lab["time"]}:{esc(src.one("date", ""))}</div>
<div class="vF_detail_content">
{body}
</div></div>"""
        page_title = title
    doc = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{esc(page_title)}</title>
<meta name="keywords" content="{esc(src.one('keywords', lab['keywords']))}" />
<link rel="stylesheet" type="text/css" href="/css/style.css" />
<script type="text/javascript" src="/js/jquery.min.js"></script>
<script type="text/javascript">var _hmt = _hmt || []; /* {lab["stats"]} */</script>
</head>
<body>
<div class="top"><div class="logo"><a href="/">{site}</a></div>
<div class="search"><form action="/search"><input type="text" name="q" value="{lab["hint"]}" /><input type="submit" value="{lab["search"]}" /></form></div></div>
<div class="nav"><ul>{nav}</ul></div>
{main}
<div class="related"><h3>{lab["related"]}</h3><ul>{related}</ul></div>
<div class="footer">
{footer}
</div>
</body>
</html>
"""
    try:
        return doc.encode(encoding)
    except UnicodeEncodeError as exc:
        raise CorpusSourceError(f"{src.path}: {doc[exc.start:exc.end]!r} cannot be encoded as {encoding}; rewrite it") from exc


# ---------------------------------------------------------------- pdf

def source_to_pdf(src: Source) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, FONT_PATH, subfontIndex=0))
    body_style = ParagraphStyle("body", fontName=FONT_NAME, fontSize=11, leading=19, firstLineIndent=22, wordWrap="CJK")
    head_style = ParagraphStyle("head", parent=body_style, fontSize=15, leading=24, alignment=TA_CENTER, firstLineIndent=0)
    cell_style = ParagraphStyle("cell", parent=body_style, fontSize=9.5, leading=14, firstLineIndent=0)
    running = src.one("header", "")
    numbered = src.one("page-numbers", "no") == "yes"

    def on_page(canvas, doc) -> None:  # noqa: ANN001 - reportlab callback
        canvas.saveState()
        canvas.setFont(FONT_NAME, 9)
        if running:
            canvas.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, running)
            canvas.line(20 * mm, A4[1] - 14 * mm, A4[0] - 20 * mm, A4[1] - 14 * mm)
        if numbered:
            canvas.drawCentredString(A4[0] / 2, 10 * mm, f"— {doc.page} —")
        canvas.restoreState()

    story: list[object] = [Paragraph(html.escape(src.one("title")), head_style), Spacer(1, 6 * mm)]
    for kind, value in _blocks(src.body):
        if kind == "page":
            story.append(PageBreak())
        elif kind == "h":
            story.append(Paragraph(html.escape(str(value)), head_style))
        elif kind == "p":
            story.append(Paragraph(html.escape(str(value)) or "&nbsp;", body_style))
        else:
            rows = [[Paragraph(html.escape(c), cell_style) for c in row] for row in value]  # type: ignore[union-attr]
            table = Table(rows, repeatRows=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
            story += [Spacer(1, 2 * mm), table, Spacer(1, 2 * mm)]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, invariant=1, title=src.one("title"), author=src.one("author", ""),
        leftMargin=22 * mm, rightMargin=22 * mm, topMargin=22 * mm, bottomMargin=20 * mm,
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()


# ---------------------------------------------------------------- docx

def source_to_docx(src: Source) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    props = document.core_properties
    fixed = datetime(2024, 1, 1)
    props.created = props.modified = props.last_printed = fixed
    props.author = props.last_modified_by = src.one("author", "")
    props.title = src.one("title")
    props.revision = 1
    heading = document.add_paragraph(src.one("title"))
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, value in _blocks(src.body):
        if kind == "p":
            document.add_paragraph(str(value))
        elif kind == "h":
            document.add_paragraph(str(value)).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "table":
            rows = value  # type: ignore[assignment]
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))  # type: ignore[arg-type]
            table.style = "Table Grid"
            for r, row in enumerate(rows):  # type: ignore[arg-type]
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    raw = io.BytesIO()
    document.save(raw)
    # python-docx stamps zip entries with the current time; rewrite them with a fixed one
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME), zin.read(info.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()


_BUILDERS = {"html-gov": source_to_html, "html-repost": source_to_html, "html-plain": source_to_html,
             "pdf": source_to_pdf, "docx": source_to_docx, "txt": source_to_txt}


def source_to_bytes(src: Source) -> bytes:
    """Build one notice's bytes from its source."""
    return _BUILDERS[src.format](src)


def sources(src_dir: Path = SRC_DIR) -> list[Source]:
    """Every source under ``src_dir`` (default corpus/own/src/), sorted by name."""
    return [path_to_source(p) for p in sorted(src_dir.glob("*.src"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare rebuilds with the committed files")
    parser.add_argument("--src", type=Path, default=SRC_DIR, help="where the .src files are (default corpus/own/src)")
    parser.add_argument("--out", type=Path, default=None, help="where to write (default: the --src folder's parent)")
    parser.add_argument("names", nargs="*", help="only these sources (names without .src)")
    args = parser.parse_args(argv)
    if not args.src.is_dir():
        print(f"error: --src {args.src} is not a folder; give the folder holding the .src files", file=sys.stderr)
        return 1
    if args.out is None:
        args.out = args.src.resolve().parent
    failed = 0
    for src in sources(args.src):
        if args.names and src.name not in args.names:
            continue
        try:
            data = source_to_bytes(src)
        except CorpusSourceError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
            continue
        target = args.out / src.out_name
        if args.check:
            same = target.exists() and target.read_bytes() == data
            print(f"{'same' if same else 'DIFFERS'} {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
            failed += not same
        else:
            args.out.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            print(f"wrote {target} ({len(data)} bytes)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
