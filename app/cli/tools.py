"""`flask tools load`: the AI tool directory's catalog, from app/data/tools.toml."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

tools = AppGroup("tools", help="The AI tool directory.")


@tools.command("load")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A tools data file (app/data/tools.toml by default).")
def load(path: Path | None) -> None:
    """Upsert every tool of the data file (safe to run again: unchanged tools stay as they are)."""
    from commands.tools import CatalogInvalid, load_tools, read_catalog

    try:
        total = len(read_catalog(path))
        with click.progressbar(length=total, label="Loading AI tools", show_pos=True, file=sys.stderr) as bar:
            counts = load_tools(path, bar.update)
    except CatalogInvalid as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{counts['total']:,} tools: {counts['added']:,} added, {counts['updated']:,} updated, "
               f"{counts['unchanged']:,} unchanged.")
