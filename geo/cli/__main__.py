"""``python -m geo.cli``: the ``wijkkompas`` command."""

from geo.cli import main

main()
