"""Benchmark extraction throughput on one core: notices/s, chars/s and peak memory.

The corpus is parsed first (not timed), the spaCy pipeline is built by a warm-up run
(not timed), then every notice is extracted ``--rounds`` times.

    .venv/bin/python scripts/bench_extract.py                 # whole extraction
    .venv/bin/python scripts/bench_extract.py --facts-only    # normalise + facts only
    .venv/bin/python scripts/bench_extract.py --tracemalloc   # + Python heap peak (slower)
    .venv/bin/python scripts/bench_extract.py --pad-to 4000   # notices of >= 4,000 chars
    .venv/bin/python scripts/bench_extract.py --stages        # + CPU ms per stage

Wall-clock and CPU-time figures are both printed: on a shared machine the CPU time of
this process is the fairer measure of what one core does. CPU time still rises by 20-40%
when the other core is busy (shared caches): compare runs made side by side, take the
lower of a few. ``--stages`` times normalise / facts / metadata / rules one by one (the
same steps as ``parsed_to_extraction``); to find hot spots inside a stage, profile it
(cProfile or pyinstrument) over ``corpus_to_parsed``.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.contract import Extraction, ParsedDocument  # noqa: E402
from extractors.extract import parsed_to_extraction  # noqa: E402
from extractors.facts import normalised_to_facts  # noqa: E402
from extractors.metadata import parsed_to_document  # noqa: E402
from extractors.normalise import text_to_normalised  # noqa: E402
from extractors.rules import facts_to_rules  # noqa: E402
from extractors.version import EXTRACTOR_VERSION  # noqa: E402

_STAGES = ("normalise", "facts", "metadata", "rules")


def corpus_to_parsed(corpus: Path) -> list[ParsedDocument]:
    """Every notice under CORPUS, parsed by ingest when it can, else the .txt/.src text."""
    paths = sorted(p for p in corpus.rglob("*") if p.suffix in {".txt", ".html", ".htm", ".pdf", ".docx"})
    docs: list[ParsedDocument] = []
    try:
        from ingest.parse import source_to_parsed  # type: ignore[attr-defined]
    except Exception as exc:  # ingest is optional here: fall back to plain text files
        print(f"note: ingest.parse unavailable ({exc}); using .txt and corpus/own/src texts", file=sys.stderr)
        source_to_parsed = None
    for p in paths:
        if source_to_parsed is not None:
            try:
                docs.append(source_to_parsed(str(p)))
                continue
            except Exception as exc:
                print(f"skip {p}: {exc}", file=sys.stderr)
                continue
        if p.suffix == ".txt":
            raw = p.read_bytes()
            for enc in ("utf-8", "gb18030", "big5"):
                try:
                    text = raw.decode(enc)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                continue
            docs.append(_plain(str(p), text))
    if source_to_parsed is None:
        for src in sorted(glob.glob(str(corpus / "own" / "src" / "*.src"))):
            if not Path(src).with_suffix(".txt").exists():
                body = Path(src).read_text(encoding="utf-8").split("\n---\n", 1)[-1]
                docs.append(_plain(src, body))
    return docs


def _plain(source: str, text: str) -> ParsedDocument:
    sha = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return ParsedDocument(source=source, sha256=sha, format="txt", text=text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT / "corpus"))
    ap.add_argument("--rounds", type=int, default=20, help="passes over the corpus (default 20)")
    ap.add_argument("--facts-only", action="store_true", help="time normalise + facts, not metadata/rules")
    ap.add_argument(
        "--pad-to",
        type=int,
        default=0,
        metavar="CHARS",
        help="repeat each notice's text until it has at least CHARS chars (e.g. 4000)",
    )
    ap.add_argument("--tracemalloc", action="store_true", help="also report the Python heap peak (slower run)")
    ap.add_argument("--stages", action="store_true", help="also report CPU ms per notice of each stage")
    args = ap.parse_args(argv)

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    docs = corpus_to_parsed(Path(args.corpus))
    if not docs:
        print(f"no notices found under {args.corpus}", file=sys.stderr)
        return 1
    if args.pad_to:
        docs = [
            d.model_copy(update={"text": "\n".join([d.text] * -(-args.pad_to // max(1, len(d.text))))})
            for d in docs
        ]

    stage_cpu = dict.fromkeys(_STAGES, 0.0)

    def run_stages(d: ParsedDocument) -> None:
        # parsed_to_extraction, step by step
        t0 = time.process_time()
        norm = text_to_normalised(d.text)
        t1 = time.process_time()
        facts, doc = normalised_to_facts(norm)
        t2 = time.process_time()
        stage_cpu["normalise"] += t1 - t0
        stage_cpu["facts"] += t2 - t1
        if args.facts_only:
            return
        document = parsed_to_document(d, norm, facts)
        document.extractor_version = EXTRACTOR_VERSION
        document.chars = len(d.text)
        t3 = time.process_time()
        Extraction(document=document, facts=facts, rules=facts_to_rules(document, norm, doc, facts))
        t4 = time.process_time()
        stage_cpu["metadata"] += t3 - t2
        stage_cpu["rules"] += t4 - t3

    def run_one(d: ParsedDocument) -> None:
        if args.stages:
            run_stages(d)
        elif args.facts_only:
            normalised_to_facts(text_to_normalised(d.text))
        else:
            parsed_to_extraction(d)

    t0 = time.perf_counter()
    run_one(docs[0])  # builds the spaCy pipeline and loads OpenCC
    build_s = time.perf_counter() - t0
    stage_cpu.update(dict.fromkeys(_STAGES, 0.0))  # the warm-up is not timed

    chars = sum(len(d.text) for d in docs)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(args.rounds):
        for d in docs:
            run_one(d)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = len(docs) * args.rounds

    mode = "facts-only (normalise + facts)" if args.facts_only else "whole extraction (parsed_to_extraction)"
    print(f"mode            {mode}")
    print(f"notices         {len(docs)} x {args.rounds} rounds, mean {chars / len(docs):,.0f} chars")
    print(f"build+warm-up   {build_s * 1000:.0f} ms (not timed below)")
    print(f"throughput      {n / elapsed:,.1f} notices/s, {chars * args.rounds / elapsed:,.0f} chars/s (wall clock)")
    print(f"                {n / cpu:,.1f} notices/s, {chars * args.rounds / cpu:,.0f} chars/s (CPU time of this process)")
    print(f"per notice      {elapsed / n * 1000:.2f} ms wall, {cpu / n * 1000:.2f} ms CPU")
    if args.stages:
        shown = _STAGES[:2] if args.facts_only else _STAGES
        print("stages (CPU)    " + ", ".join(f"{name} {stage_cpu[name] / n * 1000:.2f} ms" for name in shown))
    print(f"peak RSS        {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    if args.tracemalloc:
        tracemalloc.start()
        for d in docs:
            run_one(d)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"heap peak       {peak / 2**20:.1f} MiB (tracemalloc, one pass)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
