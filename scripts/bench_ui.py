"""Benchmark: server time of the review UI's queue and rule-card pages on 100,000 rule versions.

    .venv/bin/python scripts/bench_ui.py                    # builds /tmp/bench_ui.db once, then measures
    .venv/bin/python scripts/bench_ui.py --versions 20000 --db /tmp/small.db

The store is filled through rulestore's Python API (ingest_extraction, hand-built
extractions with ~2,000-character notices, facts, corroborations and conflicts). Times are
measured in-process through the ASGI app (FastAPI TestClient), so they are server time:
routing, auth, SQL, template rendering; no network. Server time is read from the app's
Server-Timing header. Facet counts are not part of the page's time (they are computed on a
background thread or by /queue/counts.json, which the page's script fetches); their own
cost is reported on a separate line.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.contract import Evidence, Extraction, Fact, NoticeDocument, Region, Rule  # noqa: E402

_KINDS = ["personal_contribution", "fiscal_subsidy", "enrollment_period", "waiting_period", "assistance",
          "coverage_target"]
_POPULATIONS = ["all", "学生儿童", "成年居民", "老年居民"]
_FLAG_CHOICES = [[]] * 16 + [["year_inferred"], ["repaired"], ["amount_out_of_range"], ["year_inferred", "repaired"]]


def _counties() -> list[tuple[str, str]]:
    rows = []
    for line in (ROOT / "extractors" / "data" / "regions.tsv").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[2] == "county":
            rows.append((parts[0], parts[1]))
    return rows


def _rule(kind: str, rng: random.Random, year: int, population: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    amount = str(rng.choice([180, 250, 320, 350, 380, 400, 640, 670]))
    if kind == "personal_contribution":
        return ({"amount": amount, "currency": "CNY", "per": "person_year"},
                {"scheme": "basic_medical", "population": population}, f"个人缴费标准为每人每年{amount}元")
    if kind == "fiscal_subsidy":
        return ({"amount": amount, "currency": "CNY", "per": "person_year", "bound": "min"},
                {"scheme": population}, f"财政补助标准不低于每人每年{amount}元")
    if kind == "enrollment_period":
        return ({"start": f"{year - 1}-09-01", "end": f"{year - 1}-12-31"}, {"phase": population},
                f"集中参保缴费期为{year - 1}年9月1日至12月31日")
    if kind == "waiting_period":
        days = rng.choice([30, 60, 90])
        return ({"amount": days, "unit": "day"}, {"applies_to": [population]}, f"设置{days}天待遇等待期")
    if kind == "assistance":
        return ({"mode": "fixed", "amount": amount}, {"groups": [population]}, f"给予定额资助{amount}元")
    percent = str(rng.choice([95, 96, 97, 99]))
    return ({"percent": percent, "bound": "min"}, {"groups": [population]}, f"参保率稳定在{percent}%以上")


def build(path: Path, versions: int, seed: int = 7) -> None:
    from rulestore import ingest_extraction, open_db
    from rulestore.accounts import add_user

    rng = random.Random(seed)
    counties = _counties()
    base_text = (ROOT / "corpus" / "seeds" / "004_dc74051e39256895.txt").read_text(encoding="utf-8")[:1600]
    db = open_db(path)
    add_user(db, "bench", "bench password", role="reviewer")
    made = 0
    doc = 0
    started = time.perf_counter()
    while made < versions:
        code, name = counties[doc % len(counties)]
        region = Region(county=name, code=code)
        sentences, rules, facts = [base_text], [], []
        offset = len(base_text)
        for j in range(10):
            kind = _KINDS[(doc + j) % len(_KINDS)]
            year = 2015 + (doc // len(counties)) % 12
            population = _POPULATIONS[j % len(_POPULATIONS)]
            params, conditions, quote = _rule(kind, rng, year, population)
            sentence = f"{j + 1}、{year}年度,{quote}。"
            start = offset + sentence.index(quote)
            sentences.append(sentence)
            offset += len(sentence)
            rules.append(Rule(kind=kind, policy_year=year, region=region, params=params, conditions=conditions,
                              evidence=Evidence(quote=quote, start=start, end=start + len(quote)),
                              confidence=round(rng.uniform(0.5, 1.0), 2), flags=rng.choice(_FLAG_CHOICES)))
            facts.append(Fact(type="MONEY", text=quote[-4:], start=start + len(quote) - 4, end=start + len(quote),
                              value={"amount": "1", "currency": "CNY"}))
        text = "".join(sentences)
        ex = Extraction(document=NoticeDocument(source=f"bench/{doc}.txt", sha256=f"{doc:064x}",
                                                title=f"{name}关于做好城乡居民医保工作的通知({doc})",
                                                region=region, format="txt", extractor_version="bench"),
                        facts=facts, rules=rules)
        result = ingest_extraction(db, ex, text=text)
        made += result.versions_new
        doc += 1
        if doc % 1000 == 0:
            print(f"  {doc} documents, {made} versions, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    db.execute("ANALYZE")
    db.conn.close()
    print(f"built {path}: {doc} documents, {made} rule versions in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)


def _stats(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return f"n={len(ms):4d}  p50={statistics.median(ms):6.1f} ms  p95={p95:6.1f} ms  max={ms[-1]:6.1f} ms"


def measure(path: Path, runs: int) -> None:
    from fastapi.testclient import TestClient

    from review_ui import Settings, create_app
    from rulestore import open_db

    db = open_db(path)  # applies pending migrations (0002_review_queue's indexes)
    db.execute("ANALYZE")  # planner statistics for those indexes, as `PRAGMA optimize` would keep
    (total,) = db.execute("SELECT count(*) FROM rule_versions").fetchone()
    refs = db.execute("SELECT rule_id, version FROM rule_versions ORDER BY random() LIMIT ?", [runs]).fetchall()
    regions = [r[0] for r in db.execute("SELECT DISTINCT region_code FROM rule_versions ORDER BY random() LIMIT 10")]
    db.conn.close()
    print(f"store: {total} rule versions; {runs} requests per line")
    app = create_app(path, Settings(secret_key="bench-secret-0123456789"))
    client = TestClient(app, base_url="http://127.0.0.1")
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/login", data={"username": "bench", "password": "bench password", "csrf_token": token},
                       follow_redirects=False).status_code == 303
    rng = random.Random(1)

    def timed(url: str, cold: bool) -> float:
        """Server time from the app's Server-Timing header (no test-client overhead)."""
        if cold:
            app.state.counts.clear()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
        return float(response.headers["server-timing"].split("dur=")[1]) / 1000

    filters = ["", "kind=personal_contribution", "flag=conflict", "flag=year_inferred", "confidence=low",
               "year=2020", "kind=assistance&year=2018", "corroborated=2"]
    filters += [f"region={r}" for r in regions]
    # facet counts: computed once per filter set and store state (in the background when the
    # page asks); time them first, which also leaves the cache as a running server has it
    counts = [timed(f"/queue/counts.json?{f}", True) for f in filters]
    print(f"facet counts, computed (per filter set):  {_stats(counts)}")
    queue = [timed("/queue", False) for _ in range(runs)]
    print(f"queue page, no filter:                    {_stats(queue)}")
    filtered = [timed(f"/queue?{rng.choice(filters)}", False) for _ in range(runs)]
    print(f"queue page, random filter:                {_stats(filtered)}")
    deep, url = [], "/queue"
    for _ in range(runs):
        deep.append(timed(url, False))
        nxt = client.get(url.replace("/queue", "/queue.json", 1)).json()["next_after"]
        if not nxt:
            break
        url = f"/queue?after={nxt}"
    print(f"queue page, following next-page links:    {_stats(deep)}")
    cards = [timed(f"/rules/{rid}/{v}", False) for rid, v in refs]
    print(f"rule card, random versions:              {_stats(cards)}")
    cards_q = [timed(f"/rules/{rid}/{v}?kind=personal_contribution", False) for rid, v in refs[: runs // 2]]
    print(f"rule card with queue filter (prev/next):  {_stats(cards_q)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/bench_ui.db"))
    parser.add_argument("--versions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--rebuild", action="store_true", help="build the store again even if it exists")
    args = parser.parse_args()
    if args.rebuild and args.db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.db) + suffix).unlink(missing_ok=True)
    if not args.db.exists():
        build(args.db, args.versions)
    measure(args.db, args.runs)


if __name__ == "__main__":
    main()
