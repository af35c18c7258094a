"""Who may run each operation: declared once per root field, enforced here and only here.

Every root field of the schema is made by `query` or `mutation`, which attach a `Guard` holding
the field's `Rule`: the right it needs, which of its arguments name a member's records, and
which of its answers are health data. The guard runs before the resolver:

- no session (outside the public operations): `UNAUTHENTICATED`;
- a right the caller lacks: a `FORBIDDEN` error for a query, a typed `ForbiddenError` for a
  mutation — recorded in the access log either way;
- a member's records outside the caller's scope: the argument is replaced by an id that names
  nothing, so the answer is by construction the one an unknown id gets (`null`, an empty list,
  `NotFoundError`). Mutations are also held to the caller's member by the application itself
  (the actor's `on_behalf_of`), which answers other members' ids as unknown ones.
- but a member the account is a user of (an accountant's other companies), other than the
  session's: `MEMBER_NOT_SWITCHED`, saying to switch first (`switchMember`) — an error for a
  query, a typed `ForbiddenError` for a mutation.

After the resolver, the parts of the answer that need a right the caller lacks are taken out
(`Withheld`: the workforce and CMR list of a confirmed declaration, for its Billing readers),
then a read of health data (category, determinants, exposures) is logged with whose data it was.
"""

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field, is_dataclass
from typing import Any, TypeVar, cast
from uuid import UUID

import strawberry
from graphql import GraphQLError, OperationType
from strawberry.extensions import FieldExtension
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from api.context import Context, GraphQLInfo
from api.failures import ForbiddenError, NotFoundError, failure_of
from api.threads import blocking
from domain.accounts.access import NOWHERE, Principal, Right
from domain.errors import DomainError

F = TypeVar("F", bound=Callable[..., Any])
Subjects = Callable[[Any, dict[str, Any]], Iterable[UUID]]

UNAUTHENTICATED_MESSAGE = "Connectez-vous pour accéder au portail."
CHANGE_FIRST_MESSAGE = (
    "Choisissez d'abord un nouveau mot de passe : celui que le service vous a envoyé ne sert"
    " qu'à la première connexion."
)


@dataclass(frozen=True, slots=True)
class Scope:
    """The arguments of an operation that name a member's records."""

    member: str | None = None
    """A member's id; when optional and left out, a member's user gets their own member."""
    member_code: str | None = None
    employee: str | None = None


@dataclass(frozen=True, slots=True)
class HealthRead:
    """The answer's fields that are health data, and whose data an answer holds."""

    fields: frozenset[str] | None
    """None: every answer of the operation is health data."""
    subjects: Subjects


@dataclass(frozen=True, slots=True)
class Withheld:
    """Parts of an answer that need another right than the operation's own."""

    parts: Mapping[str, Right]
    """Each part, and the right needed to read it."""
    remove: Callable[[Any, frozenset[str]], Any]
    """The answer without the given parts."""

    def from_answer(self, principal: Principal, result: Any) -> Any:
        denied = frozenset(part for part, right in self.parts.items() if not principal.may(right))
        return self.remove(result, denied) if denied else result


@dataclass(frozen=True, slots=True)
class Rule:
    right: Right | None
    """None: anyone signed in."""
    scope: Scope = field(default_factory=Scope)
    health: HealthRead | None = None
    withheld: Withheld | None = None
    public: bool = False
    """Open to anyone, signed in or not (the sign-in steps)."""
    before_password_change: bool = False
    """Allowed while the password sent by the service still has to be changed."""


PUBLIC = Rule(right=None, public=True)
SIGNED_IN = Rule(right=None, before_password_change=True)


class AccessRefused(GraphQLError):
    """A refusal shown as is in `errors[]`, with its code (never masked)."""

    def __init__(self, message: str, code: str):
        super().__init__(message, extensions={"code": code})


NOT_SWITCHED_MESSAGE = (
    "Cet adhérent fait partie de vos adhérents, mais votre session travaille sur un autre :"
    " passez-y d'abord (switchMember), puis recommencez."
)


class NotSwitched(AccessRefused):
    """An id of a member the account is a user of, but not the session's member: the answer
    says to switch instead of reading as nothing (the other members' ids still name nothing)."""

    def __init__(self) -> None:
        super().__init__(NOT_SWITCHED_MESSAGE, "MEMBER_NOT_SWITCHED")


class Guard(FieldExtension):
    def __init__(self, rule: Rule):
        super().__init__()
        self.rule = rule

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: GraphQLInfo, **kwargs: Any
    ) -> Any:
        rule, context = self.rule, info.context
        if rule.public:
            return await next_(source, info, **kwargs)
        principal = await context.sign_in()
        if principal is None:
            raise AccessRefused(UNAUTHENTICATED_MESSAGE, "UNAUTHENTICATED")
        session = context.session
        change_pending = session is not None and session.password_change_required
        if change_pending and not rule.before_password_change:
            return await self._refuse(info, CHANGE_FIRST_MESSAGE, None)
        if rule.right is not None and not principal.may(rule.right):
            return await self._refuse(info, forbidden_message(rule.right), rule.right)
        try:
            kwargs, result = await self._within_member(next_, source, info, principal, kwargs)
        except NotSwitched as refusal:
            if info.operation.operation is not OperationType.MUTATION:
                raise
            return ForbiddenError(code="MEMBER_NOT_SWITCHED", message=refusal.message)
        if rule.withheld is not None:
            result = rule.withheld.from_answer(principal, result)
        health = rule.health
        if health is not None and (
            health.fields is None or _selects(info.selected_fields, health.fields)
        ):
            await _log_health_read(info, principal, health, result, kwargs)
        return result

    async def _within_member(
        self,
        next_: Callable[..., Awaitable[Any]],
        source: Any,
        info: GraphQLInfo,
        principal: Principal,
        kwargs: dict[str, Any],
    ) -> tuple[dict[str, Any], Any]:
        """The arguments held to the caller's scope and the resolver's answer; `NotSwitched`
        when they name another of the account's members."""
        context, scope = info.context, self.rule.scope
        if not principal.sees_every_member:
            kwargs = await blocking(lambda: _within_scope(context, principal, scope, kwargs))
        try:
            result = await next_(source, info, **kwargs)
        except DomainError as error:
            if info.operation.operation is not OperationType.MUTATION:
                raise
            return kwargs, failure_of(
                error
            )  # an input its value object refused, before any command
        if isinstance(result, NotFoundError) and not principal.sees_every_member:
            # the application said "not found": of a member of the account's, it says to switch
            await blocking(lambda: _refuse_named_switchable(context, principal, kwargs))
        return kwargs, result

    async def _refuse(self, info: GraphQLInfo, message: str, right: Right | None) -> Any:
        context = info.context
        principal = context.principal
        if right is not None and principal is not None:
            operation = info.field_name
            await blocking(lambda: context.services.access.log_denial(principal, operation, right))
        if info.operation.operation is OperationType.MUTATION:
            return ForbiddenError(code="FORBIDDEN", message=message)
        raise AccessRefused(message, "FORBIDDEN")


def forbidden_message(right: Right) -> str:
    return f"Vos rôles ne vous permettent pas cette opération ({_RIGHT_LABELS[right]})."


_RIGHT_LABELS = {
    Right.READ_COMPANY: "consulter l'entreprise",
    Right.MANAGE_COMPANY: "modifier l'entreprise",
    Right.READ_USERS: "consulter les utilisateurs",
    Right.MANAGE_USERS: "gérer les utilisateurs",
    Right.CHOOSE_NOTIFICATIONS: "choisir ses notifications",
    Right.READ_BILLING: "consulter les factures",
    Right.MANAGE_BILLING: "gérer la facturation",
    Right.READ_WORKFORCE: "consulter les salariés",
    Right.MANAGE_WORKFORCE: "modifier les salariés",
    Right.READ_CMR: "consulter les expositions CMR",
    Right.READ_DECLARATION: "consulter la déclaration annuelle",
    Right.MANAGE_DECLARATION: "remplir la déclaration annuelle",
    Right.READ_APPOINTMENTS: "consulter les rendez-vous",
    Right.MANAGE_APPOINTMENTS: "gérer les rendez-vous",
    Right.READ_AUDIT: "consulter le journal d'audit",
    Right.READ_ACCESS_LOG: "consulter le journal des accès",
    Right.READ_MEMBER_DIRECTORY: "rechercher les adhérents",
    Right.ADMINISTER_SERVICE: "réservé au service",
}


def _within_scope(
    context: Context, principal: Principal, scope: Scope, kwargs: dict[str, Any]
) -> dict[str, Any]:
    """The arguments, with every id outside the principal's member replaced by one that names
    nothing (and a left-out member id replaced by the principal's own)."""
    scoped = dict(kwargs)
    own = principal.member_id or NOWHERE
    if scope.member is not None:
        given = scoped.get(scope.member)
        _refuse_if_switchable(context, principal, given)
        scoped[scope.member] = own if given is None or principal.reaches(given) else NOWHERE
    if scope.member_code is not None:
        found = context.services.members.by_code(str(scoped[scope.member_code]))
        _refuse_if_switchable(context, principal, None if found is None else found.member_id)
        if found is None or not principal.reaches(found.member_id):
            scoped[scope.member_code] = ""
    if scope.employee is not None and scoped.get(scope.employee) is not None:
        member_id = context.services.workforce.member_of(scoped[scope.employee])
        _refuse_if_switchable(context, principal, member_id)
        if not principal.reaches(member_id):
            scoped[scope.employee] = NOWHERE
    return scoped


def _refuse_named_switchable(
    context: Context, principal: Principal, kwargs: dict[str, Any]
) -> None:
    """`NotSwitched` if a mutation's input names a member (or an employee of one) the account
    is a user of, other than the session's."""
    inputs = [value for value in kwargs.values() if is_dataclass(value)]
    for given in inputs:
        _refuse_if_switchable(context, principal, getattr(given, "member_id", None))
        employee_id = getattr(given, "employee_id", None)
        if isinstance(employee_id, UUID):
            _refuse_if_switchable(
                context, principal, context.services.workforce.member_of(employee_id)
            )


def _refuse_if_switchable(context: Context, principal: Principal, member_id: UUID | None) -> None:
    if member_id is None or principal.reaches(member_id):
        return
    if member_id in context.services.access.memberships(principal.account_id):
        raise NotSwitched


def _selects(selections: Iterable[Any], names: frozenset[str]) -> bool:
    """Whether a selection asks, at any depth, for one of `names`."""
    for selection in selections:
        if isinstance(selection, SelectedField) and selection.name in names:
            return True
        if isinstance(selection, SelectedField | InlineFragment | FragmentSpread) and _selects(
            selection.selections, names
        ):
            return True
    return False


async def _log_health_read(
    info: GraphQLInfo, principal: Principal, health: HealthRead, result: Any, kwargs: Any
) -> None:
    subjects = set(health.subjects(result, kwargs))
    if not subjects:
        return
    services, operation = info.context.services, info.field_name

    def log() -> None:
        member_id = principal.member_id or services.workforce.member_of(next(iter(subjects)))
        services.access.log_health_read(principal, operation, member_id, subjects)

    await blocking(log)


def query(description: str, rule: Rule) -> Callable[[F], F]:
    """A root query field, with its rule."""
    return cast(
        "Callable[[F], F]", strawberry.field(description=description, extensions=[Guard(rule)])
    )


def mutation(description: str, rule: Rule) -> Callable[[F], F]:
    """A root mutation, with its rule."""
    return cast(
        "Callable[[F], F]", strawberry.mutation(description=description, extensions=[Guard(rule)])
    )
