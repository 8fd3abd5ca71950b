"""`siyada kb` commands (filled in by its issue)."""

import typer

app = typer.Typer(help="kb commands.", no_args_is_help=True)
