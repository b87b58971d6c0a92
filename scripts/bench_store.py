"""Benchmark the rule store: ingest throughput, approval throughput, DB size, and /api/query
latency under concurrent clients against a real uvicorn server on 127.0.0.1.

    .venv/bin/python scripts/bench_store.py                       # 100,000 versions, 3,000 regions
    .venv/bin/python scripts/bench_store.py --writes-per-s 2      # + a phase with a reviewer writing
    .venv/bin/python scripts/bench_store.py --db /tmp/b.db        # keep the store; reuse it next time
    .venv/bin/python scripts/bench_store.py --versions 5000 --regions 300 --requests 2000   # quick

Data: real division codes (extractors/data/regions.tsv: provinces, cities, then counties
until --regions), 11 rules per region and policy year (2022–2024) stated by one notice each,
plus a second notice for some keys stating another value (conflict versions) until
--versions is reached; every rule then gets its newest version approved. Queries pick a
random region (mostly counties, so inheritance walks to city/province/national) and year.

Load generator: Debian's ``wrk`` (C, event loop; ``apt-get install -y wrk``, a benchmark tool,
not a dependency) when it is on PATH, else a minimal HTTP/1.1 keep-alive client on asyncio
streams in this process; the JSON says which (``load_generator``). Both are closed loop: one
keep-alive connection per client, the next request sent when the answer arrived; latency =
send → last byte. The Python client costs about as much CPU per request as the server does,
so on a 2-core machine its figures understate what the server can do; wrk's cost is small.
Phases: ``cold`` = every request a distinct (region, year), so the server's answer cache
cannot help (stops when the list is used up); ``warm`` = random (region, year) for
``--duration`` seconds (the answers are then cached, as for a billing engine asking the
same regions all day); ``warm_writes`` (with ``--writes-per-s``) = the same while a reviewer
writes, each write dropping the cached answers of one county and year.
Per phase the JSON gives server CPU per request and how many cores the server, wrk and all
other processes kept busy (/proc/stat): on a shared machine, latency figures are only
meaningful next to the last one. With ``--workers 2`` each worker has its own answer cache,
so the warm phase starts with misses.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.contract import Evidence, Extraction, NoticeDocument, Region, Rule  # noqa: E402
from rulestore.accounts import create_token  # noqa: E402
from rulestore.db import open_db  # noqa: E402
from rulestore.models import Capture  # noqa: E402
from rulestore.review import approve  # noqa: E402
from rulestore.store import ingest_extraction  # noqa: E402

YEARS = (2022, 2023, 2024)


def _regions(n: int) -> list[tuple[str, str]]:
    """(code, level) for n real divisions: every province and city first, then counties."""
    rows = []
    text = resources.files("extractors").joinpath("data/regions.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cells = line.split("\t")
        if cells[0] == "code":
            continue
        rows.append(cells)
    placeholder = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
    order = {"province": 0, "city": 1, "county": 2}
    rows = [r for r in rows if r[1] not in placeholder and len(r) > 2 and r[2] in order]
    rows.sort(key=lambda r: (order[r[2]], r[0]))
    return [(r[0], r[2]) for r in rows[:n]]


def _rules_for(code: str, year: int, bump: int = 0) -> list[Rule]:
    region = Region(code=code)

    def rule(kind: str, params: dict, conditions: dict | None = None) -> Rule:
        quote = f"{kind} {json.dumps(params, ensure_ascii=False)}"
        return Rule(kind=kind, policy_year=year, region=region, params=params, conditions=conditions or {},
                    evidence=Evidence(quote=quote, start=0, end=len(quote)), confidence=0.9)

    amount = 300 + (year - 2020) * 20 + bump
    return [
        rule("personal_contribution", {"amount": str(amount), "currency": "CNY", "per": "person_year"},
             {"scheme": "basic_medical", "population": "all"}),
        rule("personal_contribution", {"amount": "10", "currency": "CNY", "per": "person_year"},
             {"scheme": "long_term_care", "population": "试点统筹区居民"}),
        rule("fiscal_subsidy", {"amount": str(600 + bump), "currency": "CNY", "per": "person_year", "bound": "min"}),
        rule("enrollment_period", {"start": f"{year - 1}-10-01", "end": f"{year - 1}-12-31"}, {"phase": "concentrated"}),
        rule("enrollment_period", {"start": f"{year}-01-01", "end": f"{year}-02-28"}, {"phase": "extended"}),
        rule("benefit_period", {"start": f"{year}-01-01", "end": f"{year}-12-31"}),
        rule("waiting_period", {"amount": 90, "unit": "day"}, {"applies_to": ["集中缴费期外参保的"]}),
        rule("assistance", {"mode": "full"}, {"groups": ["特困人员"]}),
        rule("assistance", {"mode": "fixed", "amount": "150", "net_personal_amount": str(amount - 150)},
             {"groups": ["低保对象", "返贫致贫人口"]}),
        rule("newborn_enrollment", {"window_amount": 90, "window_unit": "day", "benefit_from": "birth"}),
        rule("benefit_start", {"from": "next_month_after_payment"}, {"enrollee": "first_time"}),
    ]


def build(db_path: Path, n_regions: int, n_versions: int) -> dict[str, float]:
    db = open_db(db_path)
    regions = _regions(n_regions)
    per_doc = len(_rules_for("110000", 2024))
    base_versions = len(regions) * len(YEARS) * per_doc
    changing = 3  # of the 11 rules, a restating notice changes 3 values (contribution, subsidy, fixed aid)
    extra_docs = max(0, -(-(n_versions - base_versions) // changing))
    t0 = time.perf_counter()
    docs = versions = 0
    for i, (code, _) in enumerate(regions):
        for year in YEARS:
            text = f"{code} {year} 城乡居民基本医疗保险参保缴费通知"
            raw = text.encode()
            doc = NoticeDocument(source=f"https://bench.example/{code}/{year}.html", sha256="", region=Region(code=code),
                                 policy_year=year, doc_number=f"医保发〔{year - 1}〕{i % 97 + 1}号", extractor_version="bench")
            result = ingest_extraction(db, Extraction(document=doc, rules=_rules_for(code, year)),
                                       capture=Capture(content=raw, source=doc.source), text=text)
            docs += 1
            versions += result.versions_new
    for j in range(extra_docs):  # a later notice restating some keys with other values: conflicts
        code, _ = regions[j % len(regions)]
        year = YEARS[(j // len(regions)) % len(YEARS)]
        text = f"{code} {year} 补充通知 {j}"
        doc = NoticeDocument(source=f"https://bench.example/{code}/{year}-b{j}.html", sha256="", region=Region(code=code),
                             policy_year=year, extractor_version="bench")
        result = ingest_extraction(db, Extraction(document=doc, rules=_rules_for(code, year, bump=5 + j)),
                                   capture=Capture(content=text.encode(), source=doc.source), text=text)
        docs += 1
        versions += result.versions_new
    ingest_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    latest = db.execute("SELECT rule_id, MAX(version) FROM rule_versions GROUP BY rule_id").fetchall()
    for rule_id, version in latest:
        approve(db, rule_id, version=version, actor="bench")
    approve_s = time.perf_counter() - t1
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return {"regions": len(regions), "documents": docs, "versions": versions, "rules": len(latest),
            "ingest_s": ingest_s, "approve_s": approve_s}


async def _client(host: str, port: int, token: str, paths: list[str], latencies: list[float],
                  errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for path in paths:
            request = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
                       "Connection: keep-alive\r\n\r\n").encode()
            t = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - t)
            if status != 200:
                errors.append(f"{status} {path}")
    finally:
        writer.close()


async def _load(host: str, port: int, token: str, clients: int, paths: list[str]) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    share = [paths[i::clients] for i in range(clients)]
    t = time.perf_counter()
    await asyncio.gather(*(_client(host, port, token, s, latencies, errors) for s in share))
    return latencies, errors, time.perf_counter() - t


# wrk script: walks a file of paths in order (each thread from its own offset); with a stop
# count, the thread stops once that many answers arrived (the cold phase's distinct queries)
_WRK_LUA = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local function now_us()
  local t = ffi.new("bench_timespec")
  ffi.C.clock_gettime(1, t)  -- CLOCK_MONOTONIC
  return tonumber(t.tv_sec) * 1e6 + tonumber(t.tv_nsec) / 1e3
end

local threads = {}
function setup(thread) table.insert(threads, thread) end

paths, i, answers, stop_after, started, elapsed_us = {}, 0, 0, 0, nil, 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  stop_after = tonumber(args[2]) or 0
  if stop_after == 0 then response = nil end  -- wrk then skips handing over headers and bodies
end
function request()
  if started == nil then started = now_us() end
  i = i + 1
  return wrk.format(nil, paths[(i - 1) % #paths + 1])
end
function response(status, headers, body)
  answers = answers + 1
  if stop_after > 0 and answers == stop_after then
    elapsed_us = now_us() - started  -- wrk itself counts the whole -d duration
    wrk.thread:stop()
  end
end
function done(summary, latency, requests)
  local e = summary.errors
  local elapsed = 0
  for _, t in ipairs(threads) do elapsed = math.max(elapsed, t:get("elapsed_us") or 0) end
  if elapsed == 0 then elapsed = summary.duration end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"mean_us": %.1f, "errors": %d, "non_2xx_or_3xx_over_399": %d}\n',
    summary.requests, elapsed, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def _load_wrk(port: int, token: str, clients: int, paths: list[str], seconds: float,
              stop_after: int = 0) -> dict[str, float]:
    """Closed-loop load with wrk (one thread: at these rates it needs a few % of a core)."""
    tmp = Path(tempfile.mkdtemp(prefix="bench_wrk_"))
    (tmp / "paths.txt").write_text("\n".join(paths) + "\n", encoding="utf-8")
    (tmp / "bench.lua").write_text(_WRK_LUA, encoding="utf-8")
    command = ["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "10s",
               "-H", f"Authorization: Bearer {token}", "-s", str(tmp / "bench.lua"),
               f"http://127.0.0.1:{port}/", "--", str(tmp / "paths.txt"), str(stop_after)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRK_JSON "))
    data = json.loads(line.removeprefix("WRK_JSON "))
    shutil.rmtree(tmp, ignore_errors=True)
    return data


def pipeline_throughput(n_docs: int) -> dict[str, float]:
    """End to end `ingest` (read, parse, extract, store) over n copies of the corpus seeds."""
    from ingest.pipeline import sources_to_store

    root = Path(__file__).resolve().parents[1] / "corpus" / "seeds"
    seeds = sorted(root.glob("*.txt"))
    tmp = Path(tempfile.mkdtemp(prefix="bench_pipeline_"))
    files = []
    for i in range(n_docs):
        seed = seeds[i % len(seeds)]
        target = tmp / f"{i:04d}_{seed.name}"
        target.write_text(seed.read_text(encoding="utf-8") + f"\n({i})\n", encoding="utf-8")
        files.append(str(target))
    t = time.perf_counter()
    report = sources_to_store(files, db_path=tmp / "pipeline.db")
    seconds = time.perf_counter() - t
    chars = sum(Path(f).stat().st_size for f in files)
    return {"pipeline_docs": len(report.results), "pipeline_failures": len(report.failures),
            "pipeline_docs_per_s": round(len(report.results) / seconds, 1),
            "pipeline_rules_stored": sum(r.versions_new + r.corroborated for r in report.results),
            "pipeline_mb_per_s": round(chars / seconds / 1e6, 2)}


class _Reviewer(threading.Thread):
    """Writes while a phase runs, as reviewers and the crawler do: ``rate`` times a second a
    restating notice for a random county and year (11 proposed versions, 10 of them conflicts)
    and the approval of its new contribution value (which supersedes the old one)."""

    def __init__(self, db_path: Path, codes: list[str], rate: float) -> None:
        super().__init__(daemon=True)
        self.db_path, self.codes, self.rate = db_path, codes, rate
        self.halt = threading.Event()
        self.writes = 0
        self.errors = 0
        self.last_error = ""
        self.seconds = 0.0

    def run(self) -> None:
        db = open_db(self.db_path, migrate=False)
        rng = random.Random()
        # values no earlier run stated (a reused --db keeps them), so each write is a new version
        (documents,) = db.execute("SELECT COUNT(*) FROM documents").fetchone()
        due = time.perf_counter()
        while not self.halt.is_set():
            code, year = rng.choice(self.codes), rng.choice(YEARS)
            t = time.perf_counter()
            bump = 1000 + documents + self.writes + self.errors
            text = f"{code} {year} 调整通知 {bump}"
            doc = NoticeDocument(source=f"https://bench.example/{code}/{year}-r{bump}.html", sha256="",
                                 region=Region(code=code), policy_year=year, extractor_version="bench")
            try:
                result = ingest_extraction(db, Extraction(document=doc, rules=_rules_for(code, year, bump=bump)),
                                           capture=Capture(content=text.encode(), source=doc.source), text=text)
                rule_id = result.rule_ids[0]
                (version,) = db.execute("SELECT MAX(version) FROM rule_versions WHERE rule_id = ?",
                                        [rule_id]).fetchone()
                approve(db, rule_id, version=version, actor="bench-reviewer")
                self.writes += 1
            except Exception as exc:  # counted and shown; the phase goes on
                self.errors += 1
                self.last_error = f"{type(exc).__name__}: {exc}"
            self.seconds += time.perf_counter() - t
            due += 1 / self.rate
            self.halt.wait(max(0.0, due - time.perf_counter()))
        db.conn.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (Linux /proc), to report CPU per request:
    unlike latency it hardly moves when other work shares the cores."""
    total = 0.0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _machine_busy_seconds() -> float:
    """CPU-seconds all cores spent busy so far (/proc/stat), to tell how much of the machine
    other work took during a phase (the machine is shared)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _own_children_seconds() -> float:
    """CPU of finished children of this process (wrk runs as one)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _stop_reviewer(reviewer: _Reviewer | None, into: dict) -> None:
    if reviewer is None:
        return
    reviewer.halt.set()
    reviewer.join(30)
    into["writes"] = reviewer.writes
    if reviewer.errors:
        into["write_errors"] = reviewer.errors
        into["last_write_error"] = reviewer.last_error
    into["write_ms_mean"] = round(reviewer.seconds * 1000 / max(1, reviewer.writes), 1)


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--versions", type=int, default=100_000)
    parser.add_argument("--regions", type=int, default=3_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20_000,
                        help="per phase (cold, warm) for the Python clients; wrk: the cold phase's distinct queries")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of the warm phase under wrk")
    parser.add_argument("--writes-per-s", type=float, default=0.0,
                        help="also run a warm phase with this many notice+approval writes a second (warm_writes)")
    parser.add_argument("--python-clients", action="store_true", help="use the Python load generator even if wrk is there")
    parser.add_argument("--pipeline-docs", type=int, default=0,
                        help="also time end-to-end `ingest` (parse+extract+store) over this many seed copies")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--db", help="reuse/keep this store file (built when missing)")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench_store_")
    db_path = Path(args.db) if args.db else Path(tmp) / "bench.db"
    figures: dict[str, object] = {}
    if not db_path.exists():
        built = build(db_path, args.regions, args.versions)
        figures.update(built)
        figures["ingest_versions_per_s"] = round(built["versions"] / built["ingest_s"])
        figures["ingest_documents_per_s"] = round(built["documents"] / built["ingest_s"])
        figures["approvals_per_s"] = round(built["rules"] / built["approve_s"])
    figures["db_bytes"] = os.path.getsize(db_path)
    if args.pipeline_docs:
        figures.update(pipeline_throughput(args.pipeline_docs))
    db = open_db(db_path)
    token = create_token(db, "bench", scopes=["rules:read"])
    codes = [r[0] for r in db.execute("SELECT DISTINCT region_code FROM rule_versions")]
    db.conn.close()

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "rulestore.api:app_from_env", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(args.workers), "--log-level", "warning", "--no-access-log"],
        cwd=str(Path(__file__).resolve().parents[1]), env={**os.environ, "NOTICERULES_DB": str(db_path)})
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        rng = random.Random(7)
        county_codes = [c for c in codes if not c.endswith("00")] or codes
        # cold: every request a distinct (region, year) query, so the answer cache cannot help
        distinct = [(c, y) for c in county_codes for y in YEARS]
        rng.shuffle(distinct)
        cold_paths = [f"/api/query?region={c}&year={y}" for c, y in distinct[:args.requests]]
        warm_paths = [f"/api/query?region={rng.choice(county_codes)}&year={rng.choice(YEARS)}"
                      for _ in range(args.requests)]
        use_wrk = shutil.which("wrk") is not None and not args.python_clients
        figures["load_generator"] = "wrk (1 thread)" if use_wrk else "python asyncio clients (same process as this script)"
        phases = [("cold", cold_paths), ("warm", warm_paths)]
        if args.writes_per_s > 0:
            phases.append(("warm_writes", warm_paths))
        for phase, paths in phases:
            reviewer = _Reviewer(db_path, county_codes, args.writes_per_s) if phase == "warm_writes" else None
            if reviewer is not None:
                reviewer.start()
            cpu0 = _cpu_seconds(server.pid)
            busy0, own0, self0, t0 = _machine_busy_seconds(), _own_children_seconds(), time.process_time(), time.time()
            if use_wrk:
                stop_after = len(paths) if phase == "cold" else 0
                w = _load_wrk(port, token, args.clients, paths, 30 if phase == "cold" else args.duration, stop_after)
                cpu = _cpu_seconds(server.pid) - cpu0
                wall = w["duration_us"] / 1e6
                wrk_cpu = _own_children_seconds() - own0
                figures[phase] = {"requests": w["requests"], "errors": w["errors"] + w["non_2xx_or_3xx_over_399"],
                                  "p50_ms": round(w["p50_us"] / 1000, 2), "p90_ms": round(w["p90_us"] / 1000, 2),
                                  "p99_ms": round(w["p99_us"] / 1000, 2), "max_ms": round(w["max_us"] / 1000, 2),
                                  "mean_ms": round(w["mean_us"] / 1000, 2), "req_per_s": round(w["requests"] / wall),
                                  "server_cpu_ms_per_request": round(cpu * 1000 / max(1, w["requests"]), 3),
                                  "server_cores_busy": round(cpu / wall, 2), "wrk_cores_busy": round(wrk_cpu / wall, 2),
                                  # over wrk's whole run (it waits out -d even after the cold list is done)
                                  "other_processes_cores_busy": round(
                                      (_machine_busy_seconds() - busy0 - cpu - wrk_cpu - (time.process_time() - self0))
                                      / (time.time() - t0), 2)}
                _stop_reviewer(reviewer, figures[phase])
                continue
            latencies, errors, wall = asyncio.run(_load("127.0.0.1", port, token, args.clients, paths))
            cpu = _cpu_seconds(server.pid) - cpu0
            ms = [x * 1000 for x in latencies]
            figures[phase] = {"requests": len(ms), "errors": len(errors), "p50_ms": round(statistics.median(ms), 2),
                              "p99_ms": round(_percentile(ms, 99), 2), "mean_ms": round(statistics.fmean(ms), 2),
                              "req_per_s": round(len(ms) / wall),
                              "server_cpu_ms_per_request": round(cpu * 1000 / len(ms), 3)}
            if errors:
                figures[phase]["first_errors"] = errors[:3]  # type: ignore[index]
            _stop_reviewer(reviewer, figures[phase])
    finally:
        server.terminate()
        server.wait(10)
    figures["clients"] = args.clients
    figures["workers"] = args.workers
    figures["load_average_after"] = os.getloadavg()
    figures["cores"] = os.cpu_count()
    figures["db_path"] = str(db_path)
    print(json.dumps(figures, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
