"""`siyada agents` commands (filled in by its issue)."""

import typer

app = typer.Typer(help="agents commands.", no_args_is_help=True)
