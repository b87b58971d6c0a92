"""Crash safety: SIGKILL an ingest mid-run; the store opens consistent and the next run completes it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
N_DOCS = 200
RULES_PER_DOC = 60

# Each document states RULES_PER_DOC rules (many rows per transaction, so a kill most likely
# lands inside one); every third document restates an earlier value (corroboration writes).
_WRITER = textwrap.dedent(f"""
    import sys
    sys.path[:0] = [{str(ROOT)!r}, {str(Path(__file__).parent)!r}]
    from rulestore_builders import make_extraction, make_rule
    from rulestore.db import open_db
    from rulestore.store import ingest_extraction

    db = open_db(sys.argv[1])
    done = skipped = 0
    for i in range({N_DOCS}):
        rules = [make_rule("assistance", {{"mode": "fixed", "amount": str(100 + (i % 3 == 0 and 0 or i))}},
                           conditions={{"groups": [f"群体{{j}}"]}}, quote=f"第{{i}}号通知第{{j}}条")
                 for j in range({RULES_PER_DOC})]
        text = f"通知{{i}}" * 50
        ext, cap = make_extraction(text, rules, source=f"n{{i}}.txt")
        result = ingest_extraction(db, ext, capture=cap, text=text)
        skipped += result.skipped
        done += 1
        print("stored", i, flush=True)
    print("done", done, "skipped", skipped, flush=True)
""")


def _check_consistent(path: Path) -> int:
    """Integrity check plus our own: every stored document has all its rows. Returns documents stored."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        docs = conn.execute("SELECT id, rules_count, sha256 FROM documents").fetchall()
        for doc_id, rules_count, sha in docs:
            (evidence,) = conn.execute("SELECT COUNT(*) FROM evidence WHERE document_id = ?", [doc_id]).fetchone()
            assert evidence == rules_count, f"document {doc_id}: {evidence} of {rules_count} evidence rows"
            assert conn.execute("SELECT 1 FROM captures WHERE sha256 = ?", [sha]).fetchone()
        # no version without evidence, no rule without a version, no orphan capture
        assert conn.execute("SELECT COUNT(*) FROM rule_versions v WHERE NOT EXISTS "
                            "(SELECT 1 FROM evidence e WHERE e.version_id = v.id)").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM rules r WHERE NOT EXISTS "
                            "(SELECT 1 FROM rule_versions v WHERE v.rule_id = r.id)").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM captures c WHERE NOT EXISTS "
                            "(SELECT 1 FROM documents d WHERE d.sha256 = c.sha256)").fetchone()[0] == 0
        # every version's proposal is in the change feed
        assert conn.execute("SELECT COUNT(*) FROM rule_versions").fetchone()[0] == \
            conn.execute("SELECT COUNT(*) FROM changes WHERE action = 'propose'").fetchone()[0]
        return len(docs)
    finally:
        conn.close()


def _wait_for_documents(path: Path, proc: subprocess.Popen[str], at_least: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read() if proc.stderr else ""
            raise AssertionError(f"the writer exited ({proc.returncode}) before it could be killed: {err[-800:]}")
        if path.exists():
            try:
                conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
                (n,) = conn.execute("SELECT COUNT(*) FROM documents").fetchone()
                conn.close()
                if n >= at_least:
                    return
            except sqlite3.OperationalError:
                pass  # not migrated yet
        time.sleep(0.05)
    raise AssertionError("the writer stored too few documents in 120 s")


@pytest.mark.slow
def test_sigkill_mid_ingest_leaves_a_consistent_store(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    script = tmp_path / "writer.py"
    script.write_text(_WRITER, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(path)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    _wait_for_documents(path, proc, 20)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    stored = _check_consistent(path)
    assert 20 <= stored < N_DOCS
    # the next run completes the rest, skipping what is stored
    rerun = subprocess.run([sys.executable, str(script), str(path)], capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"done {N_DOCS} skipped {stored}" in rerun.stdout
    assert _check_consistent(path) == N_DOCS


@pytest.mark.slow
def test_sigkill_of_the_ingest_command(tmp_path: Path) -> None:
    """The real `noticerules ingest` over many notices, killed, then run again."""
    seed = (ROOT / "corpus" / "seeds" / "004_dc74051e39256895.txt").read_text(encoding="utf-8")
    files = []
    for i in range(60):
        f = tmp_path / f"n{i:03d}.txt"
        f.write_text(seed + f"\n(第{i}份)\n", encoding="utf-8")
        files.append(str(f))
    path = tmp_path / "cli.db"
    cmd = [str(Path(sys.executable).parent / "noticerules"), "ingest", *files, "--db", str(path)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _wait_for_documents(path, proc, 5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stored = _check_consistent(path)
    assert stored < len(files)
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.count("already stored") == stored
    assert _check_consistent(path) == len(files)
