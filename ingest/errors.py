"""The ingest exception hierarchy; the CLI turns each into a message naming its input.

    IngestError(input)
    ├── InputNotFound          a path that does not exist
    ├── InputUnreadable(reason) a path that exists but cannot be read (directory, permissions)
    ├── InputTooLarge(limit)   over the size limit (settings.max_bytes)
    ├── UnsupportedFormat      an extension/content type we cannot read
    ├── FetchError(status)     an URL that could not be fetched (status None = no answer)
    └── ParseError(reason)     bytes that could not be turned into text
        ├── EmptyDocument      no text at all (empty file, whitespace only)
        ├── BinaryGarbage      bytes that are not text in any supported encoding
        ├── PdfParseError(page) a broken, truncated or encrypted PDF
        └── DocxParseError     a .docx that is not a readable Word document
"""

from __future__ import annotations

__all__ = [
    "BinaryGarbage",
    "DocxParseError",
    "EmptyDocument",
    "FetchError",
    "IngestError",
    "InputNotFound",
    "InputTooLarge",
    "InputUnreadable",
    "ParseError",
    "PdfParseError",
    "UnsupportedFormat",
]


class IngestError(Exception):
    """Base class: every ingest error names the input it is about."""

    def __init__(self, input: str, message: str) -> None:
        super().__init__(f"{input}: {message}")
        self.input = input
        self.message = message


class InputNotFound(IngestError):
    def __init__(self, input: str) -> None:
        super().__init__(input, "no such file; check the path")


class InputUnreadable(IngestError):
    def __init__(self, input: str, reason: str) -> None:
        super().__init__(input, f"cannot read: {reason}")
        self.reason = reason


class InputTooLarge(IngestError):
    def __init__(self, input: str, size: int, limit: int) -> None:
        super().__init__(
            input,
            f"{size:,} bytes is over the limit of {limit:,} bytes; "
            "raise NOTICERULES_MAX_BYTES if this notice is genuine",
        )
        self.size = size
        self.limit = limit


class UnsupportedFormat(IngestError):
    def __init__(self, input: str, kind: str) -> None:
        super().__init__(input, f"unsupported format {kind!r}; supported: .txt .html .htm .pdf .docx")
        self.kind = kind


class FetchError(IngestError):
    def __init__(self, input: str, reason: str, status: int | None = None) -> None:
        super().__init__(input, f"fetch failed: {reason}" + (f" (HTTP {status})" if status else ""))
        self.status = status
        self.reason = reason


class ParseError(IngestError):
    def __init__(self, input: str, reason: str) -> None:
        super().__init__(input, reason)
        self.reason = reason


class EmptyDocument(ParseError):
    def __init__(self, input: str) -> None:
        super().__init__(input, "the document has no text")


class BinaryGarbage(ParseError):
    def __init__(self, input: str) -> None:
        super().__init__(input, "not text in any supported encoding (UTF-8, GB18030, Big5); is it binary?")


class PdfParseError(ParseError):
    def __init__(self, input: str, reason: str, page: int | None = None) -> None:
        where = f" (page {page})" if page else ""
        super().__init__(input, f"cannot read PDF{where}: {reason}")
        self.page = page


class DocxParseError(ParseError):
    def __init__(self, input: str, reason: str) -> None:
        super().__init__(input, f"cannot read DOCX: {reason}; open and re-save it in Word/LibreOffice as .docx")
