"""The closing report of a crawl: what each site's run fetched, found, changed and failed on.

    >>> r = SiteReport(site="demo", run=1); r.fetched = 3; r.not_modified = 1
    >>> print(report_to_text([r]).splitlines()[0])
    demo (run 1): fetched 3, not modified 1, new documents 0, changed documents 0, new or changed rules 0, errors 0
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["SiteReport", "report_to_text"]


@dataclass
class SiteReport:
    """Counters of one site's run; ``errors`` holds (url, message) pairs."""

    site: str
    run: int
    resumed_from: int | None = None
    fetched: int = 0  # HTTP requests that got an answer (listing, notices, attachments)
    not_modified: int = 0  # 304, or 200 with the same bytes as last time
    new_documents: int = 0
    changed_documents: int = 0  # a new version of a page seen before
    rules_changed: int = 0  # new rule versions: new rules, or new values of known rules
    rules_corroborated: int = 0  # rules stated again with the same value (not back to review)
    listed: int = 0  # notice links on the first listing page(s)
    gone: int = 0  # known pages that now answer 404/410
    unreadable: int = 0  # attachments captured in formats we cannot parse (doc, wps, xls, xlsx)
    skipped: int = 0  # robots.txt said no
    pending: int = 0  # left for the next run (max_pages reached, or stopped)
    stopped: bool = False
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def error(self, url: str, message: str) -> None:
        self.errors.append((url, message))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["errors"] = [{"url": u, "message": m} for u, m in self.errors]
        return data

    def kinds_of_errors(self) -> Counter[str]:
        """Errors grouped by what went wrong (HTTP status or exception reason), for the summary."""
        kinds: Counter[str] = Counter()
        for _url, message in self.errors:
            if "HTTP " in message:
                kinds["HTTP " + message.rsplit("HTTP ", 1)[1].split(")")[0]] += 1
            elif "robots.txt" in message:
                kinds["robots.txt"] += 1
            elif "outside allowed_hosts" in message:
                kinds["foreign redirect"] += 1
            elif "max_bytes" in message:
                kinds["too large"] += 1
            elif "no answer within" in message:
                kinds["timeout"] += 1
            else:
                kinds["other"] += 1
        return kinds


def report_to_text(reports: list[SiteReport], *, verbose_errors: int = 20) -> str:
    """The human closing report (stdout of `noticerules crawl`)."""
    lines: list[str] = []
    for r in reports:
        lines.append(
            f"{r.site} (run {r.run}): fetched {r.fetched}, not modified {r.not_modified}, "
            f"new documents {r.new_documents}, changed documents {r.changed_documents}, "
            f"new or changed rules {r.rules_changed}, errors {len(r.errors)}"
        )
        extras = [
            f"{label} {value}"
            for label, value in (
                ("resumed run", r.resumed_from),
                ("corroborated rules", r.rules_corroborated),
                ("listed on first page", r.listed),
                ("gone", r.gone),
                ("unreadable attachments", r.unreadable),
                ("robots-disallowed", r.skipped),
                ("left pending", r.pending),
            )
            if value
        ]
        if r.stopped:
            extras.append("stopped early; the next run resumes")
        if extras:
            lines.append("  " + ", ".join(extras))
        if r.errors:
            kinds = ", ".join(f"{k} ×{n}" for k, n in sorted(r.kinds_of_errors().items()))
            lines.append(f"  errors by kind: {kinds}")
            for url, message in r.errors[:verbose_errors]:
                lines.append(f"  error: {message if url in message else url + ': ' + message}")
            if len(r.errors) > verbose_errors:
                lines.append(f"  … and {len(r.errors) - verbose_errors} more errors")
        for note in r.notes:
            lines.append(f"  note: {note}")
    if len(reports) > 1:
        total_err = sum(len(r.errors) for r in reports)
        lines.append(
            f"total: {len(reports)} sites, fetched {sum(r.fetched for r in reports)}, "
            f"new documents {sum(r.new_documents for r in reports)}, "
            f"changed documents {sum(r.changed_documents for r in reports)}, "
            f"new or changed rules {sum(r.rules_changed for r in reports)}, errors {total_err}"
        )
    return "\n".join(lines)
