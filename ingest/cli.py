"""The noticerules command line: thin click commands over the library functions.

Each command module in ingest/commands defines ``register(group)``; this module only
assembles them, so the verbs stay in the files that own them.
"""

from __future__ import annotations

import importlib
import sys

import click

__all__ = ["main"]

# Order is the order `noticerules --help` lists them in.
_COMMAND_MODULES = ["extract", "evaluate", "store", "crawl", "serve"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="noticerules")
def main() -> None:
    """Turn Chinese resident medical-insurance notices into reviewed machine rules.

    Example: noticerules extract corpus/seeds/004_dc74051e39256895.txt --format jsonl
    """


for _name in _COMMAND_MODULES:
    importlib.import_module(f"ingest.commands.{_name}").register(main)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
