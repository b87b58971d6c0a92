"""The site registry: valid files load, each broken file fails naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.crawl.errors import SiteConfigError
from ingest.crawl.sites import Politeness, load_sites, path_to_sites, toml_to_site

HERE = Path(__file__).parent

# fmt: off
INVALID = [
    ("unknown_setting.toml", ["pagination.nxt_text", "unknown setting"]),
    ("bad_cron.toml", ["schedule", "every day at six", "0 6 * * *"]),
    ("bad_regex.toml", ["detail.link_pattern", "regular expression"]),
    ("no_start.toml", ["start", "at least 1"]),
    ("bad_url.toml", ["start", "ftp://127.0.0.1/list/", "http(s)"]),
    ("zero_rate.toml", ["politeness.rate", "greater than 0"]),
    ("pattern_without_n.toml", ["pagination.url_pattern", "{n}"]),
    ("syntax.toml", ["(syntax)", "TOML"]),
    ("bad_attachment.toml", ["attachments.1", "'pdf'"]),
]
# fmt: on


@pytest.mark.parametrize(("name", "words"), INVALID)
def test_invalid_site_file_names_file_and_field(name: str, words: list[str]) -> None:
    path = HERE / "invalid_sites" / name
    with pytest.raises(SiteConfigError) as err:
        path_to_sites(path)
    message = str(err.value)
    assert str(path) in message
    for word in words:
        assert word in message, (word, message)


def test_shipped_examples_load() -> None:
    sites = load_sites(Path(__file__).resolve().parents[2] / "ingest" / "sites")
    assert set(sites) >= {"jilin-ybj", "qinzhou-ybj"}
    assert all(site.schedule for site in sites.values())
    assert sites["qinzhou-ybj"].pagination.url_pattern == "index_{n}.html"


def test_defaults_are_declared_once_and_overridable() -> None:
    site = toml_to_site('name = "d"\nstart = ["http://127.0.0.2:81/a/"]\n[politeness]\nrate = 3', file="d.toml")
    assert site.politeness.rate == 3
    assert site.politeness.host_concurrency == Politeness().host_concurrency
    assert site.allowed_hosts == ["127.0.0.2:81"]
    assert site.allows("http://127.0.0.2:81/x.pdf") and not site.allows("http://127.0.0.4:81/x.pdf")
    assert "noticerules" in site.politeness.user_agent and "https://" in site.politeness.user_agent


def test_duplicate_site_names_rejected(tmp_path: Path) -> None:
    for f in ("a.toml", "b.toml"):
        (tmp_path / f).write_text('name = "same"\nstart = ["http://127.0.0.2/"]\n', encoding="utf-8")
    with pytest.raises(SiteConfigError, match="already defined"):
        path_to_sites(tmp_path)


def test_every_site_setting_has_help_text() -> None:
    from ingest.crawl.sites import Detail, Pagination, SiteConfig

    for model in (SiteConfig, Pagination, Detail, Politeness):
        for name, field in model.model_fields.items():
            if name not in ("title", "pagination", "detail", "politeness"):
                assert field.description, f"{model.__name__}.{name} needs a description (it is the help text)"


def test_package_all_is_sorted_and_importable() -> None:
    import ingest.crawl

    assert ingest.crawl.__all__ == sorted(ingest.crawl.__all__)
    for name in ingest.crawl.__all__:
        assert getattr(ingest.crawl, name) is not None
