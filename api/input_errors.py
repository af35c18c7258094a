"""What an error about the request says of the values it carried: nothing.

graphql-core and strawberry put the value they refused in their messages ("…, found:
{'nir': '2840775…'}", "Value cannot represent a Date: \"12/07/1984\"", "Syntax Error:
Unexpected String 'Dupont'"): names, birth dates and NIR would reach the client and the log.
Their messages are rewritten to keep what the schema says (the variable, the field, the type
expected) and drop what the client sent; as a last guard, any value of the request's variables
or literals still in the message is replaced by "…".

Errors with a `code` are the API's own (refusals, bad cursors, limits): they never echo a value
and are left as they are.
"""

import re
from collections.abc import Iterable, Iterator
from typing import Any

from graphql import DocumentNode, FloatValueNode, GraphQLError, IntValueNode, StringValueNode

HIDDEN = "…"
_REWRITES = (
    # "…, found: {…}.", "…; found: …", "…. Found: …" (unknown field), with the error a scalar
    # raised on the value ("…, but encountered error '…'; found: …").
    (re.compile(r"(?:, but encountered error .*?;|[,;.]) [Ff]ound: .*\Z", re.S), "."),
    (re.compile(r"\? Found: .*\Z", re.S), "?"),
    # "Int cannot represent non-integer value: 'abc'", "Value cannot represent a Date: \"x\". …"
    (re.compile(r"(cannot represent[^:]*): .*\Z", re.S), r"\1."),
    # "Value 'XYZ' does not exist in 'Sex' enum."
    (re.compile(r"Value '.*' does not exist in '", re.S), "Value does not exist in '"),
    # Syntax errors: "Unexpected Name 'Dupont'.", "Expected Name, found String 'x'."
    (
        re.compile(
            r"\A(Syntax Error: .*?\b(?:Name|Int|Float|String|BlockString|Comment)) '.*'", re.S
        ),
        r"\1",
    ),
)
_SHORTEST_HIDDEN = 2
"""Values of one character (a sex, a digit) say nothing of anyone, and would mangle words."""


_AT_PATH = re.compile(r" at \.?([\w.\[\]]+):")
_PATH_NAME = re.compile(r"[A-Za-z_]\w*")


def as_typed_input_error(error: GraphQLError) -> None:
    """An error about a value a scalar of ours refused (`api.scalars.InvalidDate`) becomes that
    scalar's: its French message and code, and the input field named in `field`."""
    cause = error
    while cause.original_error is not None and isinstance(cause.original_error, GraphQLError):
        cause = cause.original_error
    if cause is error or not cause.extensions or "code" not in cause.extensions:
        return
    at = _AT_PATH.search(error.message)
    names = _PATH_NAME.findall(at.group(1)) if at else []
    error.message = cause.message
    error.extensions = {**cause.extensions, "field": names[-1] if names else None}


def has_code(error: GraphQLError) -> bool:
    return bool(error.extensions and "code" in error.extensions)


def without_values(message: str, sent: Iterable[str]) -> str:
    """`message` without any value the client sent."""
    for pattern, replacement in _REWRITES:
        message = pattern.sub(replacement, message)
    for value in sorted(set(sent), key=len, reverse=True):
        if len(value) >= _SHORTEST_HIDDEN and value in message:
            message = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", HIDDEN, message)
    return message


def sent_values(variables: dict[str, Any] | None, document: DocumentNode | None) -> set[str]:
    """Every leaf of the variables and every literal of the document, as text."""
    return {*_leaves(variables), *_literals(document)}


def _leaves(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, str | int | float) and not isinstance(item, bool):
            yield str(item)


def _literals(node: Any) -> Iterator[str]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, StringValueNode | IntValueNode | FloatValueNode):
            yield item.value
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif item is not None and hasattr(item, "keys"):
            stack.extend(getattr(item, key) for key in item.keys if key != "loc")
