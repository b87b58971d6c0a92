"""`noticerules serve`: the review UI and the downstream API on one SQLite store."""

from __future__ import annotations

import os

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; keep 127.0.0.1 unless a TLS proxy sits in front.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
@click.option("--db", "db_path", default=None, metavar="FILE",
              help="The store (default: $NOTICERULES_DB, else ./noticerules.db).")
@click.option("--secure-cookies/--no-secure-cookies", default=False,
              help="Mark session cookies Secure (only behind HTTPS).")
def serve_command(host: str, port: int, db_path: str | None, secure_cookies: bool) -> None:
    """Serve the review UI (/queue, /rules, /documents, /audit) and the API (/api).

    Sessions are signed with $NOTICERULES_SECRET (a random key per run when unset, which
    logs everyone out on restart). Create the first account with
    `noticerules users add NAME --role admin` before logging in.

    Example: noticerules serve --port 8000 --db noticerules.db
    """
    import sqlite3

    import uvicorn

    from rulestore import StoreError, default_db_path
    from review_ui import Settings, create_app

    db_path = db_path or default_db_path()
    try:
        settings = Settings(secret_key=os.environ.get("NOTICERULES_SECRET", ""), cookie_secure=secure_cookies)
        app = create_app(db_path, settings)
    except (ValueError, OSError, sqlite3.Error, StoreError) as exc:
        raise click.ClickException(f"cannot serve the store {db_path}: {exc}; check the path and "
                                   "that its directory exists and is writable") from None
    if not os.environ.get("NOTICERULES_SECRET"):
        click.echo("note: NOTICERULES_SECRET is unset; sessions end when the server stops", err=True)
    click.echo(f"review UI on http://{host}:{port}/ (store {db_path})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


def register(group: click.Group) -> None:
    group.add_command(serve_command)
