"""Options and helpers shared by command groups (config loading, JSON output, errors)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from siyada.settings import Settings, load_settings

ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="YAML config file (default: $SIYADA_HOME/config.yaml).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def settings_from(config: Path | None, **overrides: Any) -> Settings:
    return load_settings(config, **overrides)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def fail(message: str, code: int = 1) -> None:
    """Print one line on stderr and exit non-zero (never a traceback)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
