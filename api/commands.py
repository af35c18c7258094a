"""Running a command from a mutation, once for every mutation: envelope, worker thread, typed
failures, read-your-writes, and the success carrying the fresh read model.

A mutation names its input, its success type and the command message it sends; `send` does the
rest (most mutations are a line of their context's table: `api/message_mutations.py`). A
context's success types say how to read back what changed (`MemberChanged` in
`api/members/changed.py`, `EmployeeChanged` in `api/workforce/changed.py`).
"""

from collections.abc import Callable
from typing import TypeVar

import strawberry

from api.context import Context, GraphQLInfo
from api.failures import Failure, failure_of
from api.services import Services
from api.threads import blocking
from application.commands import Command as Message
from application.registre import Registre
from application.requests import Request
from domain.errors import DomainError

R = TypeVar("R")
S = TypeVar("S")
Command = Callable[[Registre, Request], R]


@strawberry.input(description="Toute commande : son identifiant rend le réessai sans danger.")
class CommandInput:
    request_id: str = strawberry.field(
        description="Identifiant unique de la requête, choisi par le client : une requête"
        " renvoyée avec le même identifiant reçoit la première réponse."
    )


@strawberry.input(description="Modification d'un enregistrement existant.")
class ChangeInput(CommandInput):
    expected_version: int | None = strawberry.field(
        default=None,
        description="Version de l'enregistrement sur laquelle le formulaire a été construit ;"
        " refusée (ConflictError) si elle a changé depuis.",
    )


async def run(
    info: GraphQLInfo,
    input: CommandInput,
    command: Command[R],
    reply: Callable[[Services, R], S],
) -> S | Failure:
    """Run `command` in a worker thread as this request's user; a domain refusal becomes its
    typed failure; on success, wait for the read models, then build the reply from them."""
    context: Context = info.context
    expected = input.expected_version if isinstance(input, ChangeInput) else None

    def execute() -> S | Failure:
        try:
            request = context.command_request(input.request_id, expected)
            result = command(context.services.app, request)
        except DomainError as error:
            return failure_of(error, input)
        context.services.settle()
        return reply(context.services, result)

    return await blocking(execute)


async def send(
    info: GraphQLInfo,
    input: CommandInput,
    command: Message[R],
    reply: Callable[[Services, R], S],
) -> S | Failure:
    """Send a command message as this request's user (see `run`)."""
    return await run(info, input, lambda app, request: app.handle(request, command), reply)
