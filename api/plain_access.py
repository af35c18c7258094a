"""Authorisation of the plain HTTP endpoints beside GraphQL (files, the benchmark baseline):
the same rules as `api.authorization.Guard`, answered with HTTP statuses."""

from typing import Any
from uuid import UUID

from litestar import Request
from litestar.exceptions import NotAuthorizedException, NotFoundException, PermissionDeniedException

from api.authorization import CHANGE_FIRST_MESSAGE, UNAUTHENTICATED_MESSAGE, forbidden_message
from api.context import bearer_token
from api.services import Services
from api.threads import blocking
from application.members.commands import MEMBER_NOT_FOUND
from domain.accounts.access import Principal, Right
from projections.members.members import MemberView


async def authorised(
    request: Request[Any, Any, Any], services: Services, right: Right, operation: str
) -> Principal:
    """The caller: 401 without a session, 403 while the service's password must be changed or
    without the right (recorded)."""
    token = bearer_token(request.headers.get("authorization", ""))
    session, principal = await blocking(lambda: services.sign_in(token))
    if principal is None:
        raise NotAuthorizedException(UNAUTHENTICATED_MESSAGE, extra={"code": "UNAUTHENTICATED"})
    if session is not None and session.password_change_required:
        raise PermissionDeniedException(CHANGE_FIRST_MESSAGE, extra={"code": "FORBIDDEN"})
    if not principal.may(right):
        raise await denied(services, principal, right, operation)
    return principal


async def denied(
    services: Services, principal: Principal, right: Right, operation: str
) -> PermissionDeniedException:
    """The 403 of a right refused, the refusal recorded in the access log."""
    await blocking(lambda: services.access.log_denial(principal, operation, right))
    return PermissionDeniedException(forbidden_message(right), extra={"code": "FORBIDDEN"})


async def authorised_member(
    request: Request[Any, Any, Any],
    services: Services,
    member_id: UUID,
    right: Right,
    operation: str,
) -> tuple[Principal, MemberView]:
    """The caller and the member (see `authorised`), 404 for a member outside the caller's
    scope exactly as for an unknown one."""
    principal = await authorised(request, services, right, operation)
    member = None
    if principal.reaches(member_id):
        member = await blocking(lambda: services.members.member(member_id))
    if member is None:
        raise NotFoundException(MEMBER_NOT_FOUND.message, extra={"code": MEMBER_NOT_FOUND.code})
    return principal, member
