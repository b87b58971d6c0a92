"""`noticerules extract`: stateless extraction, one JSON line per input."""

from __future__ import annotations

import json
import sys

import click

from extractors import parsed_to_extraction

from ..errors import IngestError
from ..parse import source_to_parsed


def _report(source: str, exc: BaseException) -> None:
    if isinstance(exc, IngestError):
        click.echo(f"error: {exc}", err=True)
    else:  # a bug or an input we did not foresee: still name the input, keep going
        click.echo(f"error: {source}: {type(exc).__name__}: {exc}", err=True)


@click.command("extract")
@click.argument("sources", nargs=-1, required=True, metavar="PATH_OR_URL...")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True,
              help="jsonl: one compact object per line; json: indented, still one object per input.")
@click.option("--progress/--no-progress", default=None,
              help="Show progress on stderr (default: when stderr is a terminal).")
def extract_command(sources: tuple[str, ...], fmt: str, progress: bool | None) -> None:
    """Extract document fields, facts and rules from notices (.txt .html .htm .pdf .docx or URLs).

    Exit status 1 when some inputs failed; each failure is on stderr with its input.

    Example: noticerules extract corpus/seeds/*.txt --format jsonl > out.jsonl
    """
    if progress is None:
        progress = sys.stderr.isatty() and len(sources) > 1
    failed = 0
    for i, source in enumerate(sources, 1):
        if progress:
            click.echo(f"[{i}/{len(sources)}] {source}", err=True)
        try:
            extraction = parsed_to_extraction(source_to_parsed(source))
        except Exception as exc:  # noqa: BLE001 - every input's failure is reported, the run goes on
            _report(source, exc)
            failed += 1
            continue
        if "needs_ocr" in extraction.document.flags:
            # still printed (the document is known and flagged), but the input counts as failed
            click.echo(f"error: {source}: no text layer (scanned PDF?); flagged needs_ocr, OCR it first", err=True)
            failed += 1
        data = extraction.model_dump(mode="json", exclude={"rules": {"__all__": {"also_evidence"}}})
        if fmt == "json":
            click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        else:
            click.echo(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    if failed:
        click.echo(f"{failed} of {len(sources)} inputs failed", err=True)
        sys.exit(1)


def register(group: click.Group) -> None:
    group.add_command(extract_command)
