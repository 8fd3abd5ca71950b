"""`siyada lang` commands (filled in by its issue)."""

import typer

app = typer.Typer(help="lang commands.", no_args_is_help=True)
