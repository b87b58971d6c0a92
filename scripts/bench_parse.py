"""Benchmark ingest parsing (bytes → ParsedDocument) per format: docs/s, chars/s, peak memory.

Files are read into memory first (not timed); each is parsed ``--rounds`` times after one
warm-up parse. CPU time of this process is printed beside wall-clock, since the machine is shared.

    .venv/bin/python scripts/bench_parse.py                    # corpus/ and tests/ingest/pages
    .venv/bin/python scripts/bench_parse.py --rounds 5 corpus/own
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.parse import bytes_to_parsed  # noqa: E402

_SUFFIXES = {".txt", ".html", ".htm", ".pdf", ".docx"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", default=[str(ROOT / "corpus"), str(ROOT / "tests/ingest/pages")])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    files = sorted(p for d in args.dirs for p in Path(d).rglob("*")
                   if p.suffix in _SUFFIXES and "src" not in p.parts)
    inputs = [(str(p), p.read_bytes()) for p in files]
    by_format: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0, 0])  # docs chars wall cpu bytes
    for source, raw in inputs:
        parsed = bytes_to_parsed(raw, source=source)  # warm-up, and the format
        row = by_format[parsed.format]
        wall0, cpu0 = time.perf_counter(), time.process_time()
        for _ in range(args.rounds):
            bytes_to_parsed(raw, source=source)
        row[2] += time.perf_counter() - wall0
        row[3] += time.process_time() - cpu0
        row[0] += args.rounds
        row[1] += len(parsed.text) * args.rounds
        row[4] += len(raw) * args.rounds
    print(f"{'format':6} {'docs':>5} {'ms/doc (cpu)':>13} {'docs/s (cpu)':>13} {'chars/s (cpu)':>14} {'wall ms/doc':>12}")
    totals = [0, 0, 0.0, 0.0]
    for fmt in sorted(by_format):
        docs, chars, wall, cpu, _ = by_format[fmt]
        totals = [totals[0] + docs, totals[1] + chars, totals[2] + wall, totals[3] + cpu]
        print(f"{fmt:6} {int(docs // args.rounds):5d} {cpu / docs * 1000:13.1f} {docs / cpu:13.1f} "
              f"{chars / cpu:14,.0f} {wall / docs * 1000:12.1f}")
    docs, chars, wall, cpu = totals
    print(f"{'all':6} {int(docs // args.rounds):5d} {cpu / docs * 1000:13.1f} {docs / cpu:13.1f} "
          f"{chars / cpu:14,.0f} {wall / docs * 1000:12.1f}")
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS {peak_kb / 1024:.0f} MiB (whole process, inputs and libraries included)")


if __name__ == "__main__":
    main()
