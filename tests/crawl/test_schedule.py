"""`noticerules schedule`: due times from the store, --once, and a clean stop on SIGTERM."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from crawl_fixture_site import FixtureServer, Route, listing_html, notice_html

from ingest.cli import main
from ingest.crawl.schedule import due_sites, next_due
from ingest.crawl.sites import toml_to_site
from ingest.crawl.state import open_state

REPO = Path(__file__).resolve().parents[2]


def _tiny_site(server: FixtureServer, tmp_path: Path, schedule: str = "0 6 * * *") -> Path:
    server.add("main", "/list/index.html", Route(listing_html([("/art/1.html", "城乡居民医保通知")]).encode("gbk"),
                                                 content_type="text/html"))
    server.add("main", "/art/1.html", Route(notice_html().encode("gbk"), content_type="text/html"))
    path = tmp_path / "sites"
    path.mkdir()
    (path / "tiny.toml").write_text(
        f'name = "tiny"\nstart = ["{server.url("main", "/list/index.html")}"]\nschedule = "{schedule}"\n'
        '[detail]\nlink_pattern = "/art/"\n[politeness]\nrate = 20\n', encoding="utf-8")
    (path / "manual.toml").write_text(  # no schedule: never run by the scheduler
        f'name = "manual"\nstart = ["{server.url("files", "/")}"]\n', encoding="utf-8")
    return path


def test_next_due_from_last_start() -> None:
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert next_due("*/15 * * * *", None, now=now) == now
    assert next_due("*/15 * * * *", now - timedelta(minutes=20), now=now) == now - timedelta(minutes=15)  # 11:40 → 11:45, already past: due
    assert next_due("0 6 * * *", now - timedelta(hours=1), now=now) == datetime(2026, 3, 3, 6, tzinfo=UTC)


def test_due_sites_resumes_unfinished_and_waits_for_the_next_tick(tmp_path: Path) -> None:
    site = toml_to_site('name = "s"\nstart = ["http://127.0.0.2/"]\nschedule = "0 6 * * *"', file="s.toml")
    state = open_state(str(tmp_path / "s.db"))
    now = datetime.now().astimezone()
    assert due_sites({"s": site}, state, now=now)[0] == [site]  # never ran
    run, _ = state.start_run("s")
    assert due_sites({"s": site}, state, now=now)[0] == [site]  # killed mid-run: resume now
    state.finish_run(run, {})
    due, upcoming = due_sites({"s": site}, state, now=now)
    assert due == [] and upcoming is not None and upcoming > now


def test_schedule_once_runs_due_sites_only_once(server: FixtureServer, tmp_path: Path) -> None:
    config = _tiny_site(server, tmp_path)
    db = tmp_path / "sched.db"
    runner = CliRunner()
    first = runner.invoke(main, ["schedule", "--once", "--config", str(config), "--db", str(db)])
    assert first.exit_code == 0, first.output
    assert "tiny (run 1): fetched 2" in first.stdout and "manual" not in first.stdout
    second = runner.invoke(main, ["schedule", "--once", "--config", str(config), "--db", str(db)])
    assert second.exit_code == 0 and "run 2" not in second.stdout
    assert len(server.hits_for("main", "/art/1.html")) == 1


def test_schedule_process_stops_cleanly_on_sigterm(server: FixtureServer, tmp_path: Path) -> None:
    config = _tiny_site(server, tmp_path)
    db = tmp_path / "sched.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ingest.cli", "schedule", "--config", str(config), "--db", str(db)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not _finished_runs(db):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.1)
        time.sleep(0.5)  # now it waits for 06:00 tomorrow
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "tiny (run 1)" in out and "SIGTERM" in err and "next site due" in err


def _finished_runs(db: Path) -> list[Any]:
    if not db.exists():
        return []
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT id FROM crawl_runs WHERE status = 'finished'").fetchall()
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return []
