"""The processes' log: what happened and where, never the values a person typed.

An exception's text may quote the values at fault — a database's "Key (email)=(…) already
exists", a decoder's "… found: {'nir': …}" — so a traceback is written with its frames and the
type of each exception, without their text. The access log names the path, not its query
string: a GraphQL GET carries its variables there (a searched name).
"""

import logging
import traceback
from types import TracebackType
from urllib.parse import urlsplit

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
ACCESS_LOGGER = "uvicorn.access"
PATH_ARGUMENT = 2
"""Where uvicorn's access record holds the path: (client, method, path, version, status)."""

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class WithoutValues(logging.Formatter):
    def formatException(self, ei: ExcInfo | tuple[None, None, None]) -> str:  # noqa: N802
        if ei[1] is None:
            return ""
        return "".join(_lines(ei[1])).rstrip("\n")


def _lines(error: BaseException) -> list[str]:
    lines: list[str] = []
    if error.__cause__ is not None:
        lines += _lines(error.__cause__)
        lines.append("\nThe above exception was the direct cause of the following exception:\n\n")
    elif error.__context__ is not None and not error.__suppress_context__:
        lines += _lines(error.__context__)
        lines.append("\nDuring handling of the above exception, another exception occurred:\n\n")
    lines.append("Traceback (most recent call last):\n")
    lines += traceback.format_tb(error.__traceback__)
    kind = type(error)
    lines.append(f"{kind.__module__}.{kind.__qualname__} (texte non journalisé)\n")
    return lines


class PathOnly(logging.Filter):
    """The access log's path without its query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) > PATH_ARGUMENT:
            path = str(args[PATH_ARGUMENT])
            record.args = (*args[:PATH_ARGUMENT], urlsplit(path).path, *args[PATH_ARGUMENT + 1 :])
        return True


def configure() -> None:
    """The log of every `registre` process, uvicorn's included (it is told not to set its own)."""
    handler = logging.StreamHandler()
    handler.setFormatter(WithoutValues(FORMAT))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    logging.getLogger(ACCESS_LOGGER).addFilter(PathOnly())
