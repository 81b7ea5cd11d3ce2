"""CLI commands around the resolver: merge-file (slow-path help), install, resolve, languages."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
