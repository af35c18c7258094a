"""What the parsers of the command line share: commands and their actions with the help option
in French, and the day an argument names."""

import argparse
from datetime import date

HELP = "affiche cette aide et quitte"


def with_help(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("-h", "--help", action="help", help=HELP)
    return parser


def command(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    name: str,
    help: str,
    description: str | None = None,
    epilog: str | None = None,
) -> argparse.ArgumentParser:
    """A command, or an action of a group, with its help in French."""
    parser = commands.add_parser(
        name, add_help=False, help=help, description=description, epilog=epilog
    )
    return with_help(parser)


def group(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]", name: str, help: str
) -> "argparse._SubParsersAction[argparse.ArgumentParser]":
    """A group of commands (`registre audit export`): its actions, one of which is required."""
    return command(commands, name, help).add_subparsers(
        dest="action", metavar="ACTION", required=True
    )


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {text} » : une date AAAA-MM-JJ est attendue") from None
