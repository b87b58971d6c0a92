"""PLACEHOLDER command module; register(group) adds its verbs."""

import click


def register(group: click.Group) -> None:
    return None
