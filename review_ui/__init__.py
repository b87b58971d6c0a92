"""review_ui: the reviewers' web application (FastAPI + Jinja2, server-rendered)."""

from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]
