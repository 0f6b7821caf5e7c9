"""Command-line entry point of Warta: ``python build.py [command] ...``.

Thin by design: everything lives in the ``warta`` package (see ``warta/cli.py``).
"""

from warta.cli import run

if __name__ == "__main__":
    run()
