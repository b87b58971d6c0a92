"""PLACEHOLDER: `noticerules eval`."""

import click


def register(group: click.Group) -> None:
    return None
