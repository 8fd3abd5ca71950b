"""Entry point of the ``siyada`` command: assembles the command groups.

Every command turns a :class:`~siyada.errors.SiyadaError` into a one-line message on stderr and
exit status 1, never a traceback.
"""

from __future__ import annotations

import sys

import typer

from siyada.cli import agents, gateway, kb, lang
from siyada.errors import SiyadaError

app = typer.Typer(
    name="siyada",
    help="Siyada: run AI on your own machines, in your own languages, with nothing leaving.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
gateway.register(app)
app.add_typer(lang.app, name="lang", help="Identify, segment, transliterate and normalise text.")
app.add_typer(kb.app, name="kb", help="Create, fill and search knowledge bases.")
app.add_typer(agents.app, name="agents", help="List and run declarative agents.")


def main() -> None:
    try:
        app()
    except SiyadaError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
