"""Entry point of the `registre` command line."""

import sys


def main(argv: list[str] | None = None) -> int:
    print("registre: nothing here yet", file=sys.stderr)
    return 1
