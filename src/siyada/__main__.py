"""``python -m siyada`` is the ``siyada`` command."""

from siyada.cli.main import main

main()
