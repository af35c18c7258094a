"""Running a command from a mutation, once for every mutation: envelope, worker thread, typed
failures, read-your-writes, and the success carrying the fresh read model.

A mutation names its input, its success type and one call of the application; `run` does the
rest. Success types derive from `MemberChanged` or `EmployeeChanged`, which say how to read
back what changed.
"""

from collections.abc import Callable
from typing import Self, TypeVar
from uuid import UUID

import strawberry

from api.context import Context, GraphQLInfo
from api.decorators import field
from api.failures import Failure, failure_of
from api.members.types import Member
from api.services import Services
from api.threads import blocking
from api.workforce.types import Employee, ValidOn, load_employee
from application.commands import Command as Message
from application.registre import Registre
from application.requests import CommandResult, Request
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


@strawberry.type
class MemberChanged:
    aggregate_id: UUID
    version: int
    created_id: int | None
    member: Member | None

    @classmethod
    def read(cls, services: Services, result: CommandResult) -> Self:
        view = services.members.member(result.aggregate_id)
        return cls(
            aggregate_id=result.aggregate_id,
            version=result.version,
            created_id=result.created_id,
            member=None if view is None else Member.of(view),
        )


@strawberry.type
class EmployeeChanged:
    aggregate_id: UUID
    version: int
    created_id: int | None

    @field(description="Le salarié à la date de validité (par défaut aujourd'hui).")
    async def employee(self, info: GraphQLInfo, valid_on: ValidOn = None) -> Employee | None:
        return await load_employee(info, self.aggregate_id, valid_on, None)

    @classmethod
    def read(cls, services: Services, result: CommandResult) -> Self:
        return cls(
            aggregate_id=result.aggregate_id, version=result.version, created_id=result.created_id
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
            return failure_of(error)
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
