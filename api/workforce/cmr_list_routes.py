"""The CMR list of décret 2024-307 as a download: plain HTTP beside GraphQL, since files go down.

    GET /cmr-list                                                          (READ_CMR, service)
         the list of every member, in member code order: the service's staff, auditors and
         regulators only (a member's user gets 403, logged).
    GET /members/{member_id}/cmr-list                                      (READ_CMR)
         one member's list; with `employeeId`, one worker's own entries (to hand to them).
    GET /members/{member_id}/declarations/{year}/cmr-list?edition=1        (READ_CMR)
         the list as transmitted with that confirmed edition of the declaration (404 if none).

Query: `format` csv (default), xlsx or json; `validOn` AAAA-MM-JJ (default today in Paris);
`knownAt` AAAA-MM-JJ (by the end of that Paris day) or an ISO instant with its offset (default
now); `anonymised=true`: the version workers and the CSE may see (art. R4412-93-2, see
`projections.workforce.cmr_list`). 400 on a value that cannot be read.

Access as in GraphQL's guard (`api.plain_access`): no session 401; the password sent by the
service still to change 403; the right missing 403 (logged); a member outside the caller's scope
404, as an unknown one. Every page of health data read for the file is logged in the access log,
with whose data it was. Lists stream: pages are read as the client takes the file.
"""

from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Stream

from api.plain_access import authorised, authorised_member, denied
from api.services import Services
from api.threads import blocking
from api.workforce.cmr_files import MEDIA_TYPES, FileFormat, Line, file_chunks
from domain.accounts.access import Principal, Right
from projections.workforce.cmr_list import (
    CmrListQueries,
    CmrListReader,
    ListScope,
    anonymise,
    known_at_of,
)

SERVICE_OPERATION = "serviceCmrList"
MEMBER_OPERATION = "memberCmrList"
TRANSMITTED_OPERATION = "transmittedCmrListFile"
"""The operations' names in the access log."""
UNREADABLE_KNOWN_AT = (
    "« knownAt » attend une date AAAA-MM-JJ ou un instant ISO 8601 avec son décalage horaire."
)
NO_TRANSMITTED_LIST = "Aucune déclaration confirmée pour cette année et cette édition."

FormatParam = Annotated[FileFormat, QueryParameter(name="format")]
ValidOnParam = Annotated[date | None, QueryParameter(name="validOn")]
KnownAtParam = Annotated[str | None, QueryParameter(name="knownAt", max_length=40)]
AnonymisedParam = Annotated[bool, QueryParameter(name="anonymised")]


def cmr_list_reader(services: Services, principal: Principal, operation: str) -> CmrListReader:
    """The list's reader over the API's read models, logging each page read as `principal`'s."""
    return CmrListReader(
        services.members,
        services.workforce,
        services.read(CmrListQueries),
        lambda member_id, employees: services.access.log_health_read(
            principal, operation, member_id, employees
        ),
    )


@get("/cmr-list")
async def service_cmr_list(
    request: Request[Any, Any, Any],
    *,
    services: NamedDependency[Services],
    file_format: FormatParam = FileFormat.CSV,
    valid_on: ValidOnParam = None,
    known_at: KnownAtParam = None,
    anonymised: AnonymisedParam = False,
) -> Stream:
    """Every member's CMR list (the service's own people)."""
    principal = await authorised(request, services, Right.READ_CMR, SERVICE_OPERATION)
    if not principal.sees_every_member:
        raise await denied(services, principal, Right.READ_CMR, SERVICE_OPERATION)
    scope = ListScope(valid_on or services.clock.today(), _known_at(known_at))
    reader = cmr_list_reader(services, principal, SERVICE_OPERATION)
    lines = reader.anonymised(scope) if anonymised else reader.lines(scope)
    name = f"liste-cmr-service-{scope.valid_on.isoformat()}"
    return _file(lines, file_format, name, anonymised=anonymised)


@get("/members/{member_id:uuid}/cmr-list")
async def member_cmr_list(
    request: Request[Any, Any, Any],
    *,
    services: NamedDependency[Services],
    member_id: FromPath[UUID],
    file_format: FormatParam = FileFormat.CSV,
    valid_on: ValidOnParam = None,
    known_at: KnownAtParam = None,
    anonymised: AnonymisedParam = False,
    employee_id: Annotated[UUID | None, QueryParameter(name="employeeId")] = None,
) -> Stream:
    """One member's CMR list, or one worker's own entries."""
    principal, member = await authorised_member(
        request, services, member_id, Right.READ_CMR, MEMBER_OPERATION
    )
    scope = ListScope(
        valid_on or services.clock.today(), _known_at(known_at), member_id, employee_id
    )
    reader = cmr_list_reader(services, principal, MEMBER_OPERATION)
    lines = reader.anonymised(scope) if anonymised else reader.lines(scope)
    name = f"liste-cmr-{member.member_code}-{scope.valid_on.isoformat()}"
    return _file(lines, file_format, name, anonymised=anonymised)


@get("/members/{member_id:uuid}/declarations/{year:int}/cmr-list")
async def transmitted_cmr_list_file(
    request: Request[Any, Any, Any],
    *,
    services: NamedDependency[Services],
    member_id: FromPath[UUID],
    year: FromPath[int],
    file_format: FormatParam = FileFormat.CSV,
    edition: FromQuery[int] = 1,
    anonymised: AnonymisedParam = False,
) -> Stream:
    """The list as transmitted with a confirmed edition of a declaration."""
    principal, member = await authorised_member(
        request, services, member_id, Right.READ_CMR, TRANSMITTED_OPERATION
    )
    reader = cmr_list_reader(services, principal, TRANSMITTED_OPERATION)

    def read() -> list[Line] | None:
        row = services.declarations.confirmation(member_id, year, edition)
        if row is None or row.frozen is None:
            return None
        named = reader.transmitted(member, row.frozen)
        return [*anonymise(named)] if anonymised else [*named]

    lines = await blocking(read)
    if lines is None:
        raise NotFoundException(NO_TRANSMITTED_LIST, extra={"code": "DECLARATION_NOT_FOUND"})
    name = f"liste-cmr-transmise-{member.member_code}-{year}-{edition}"
    return _file(lines, file_format, name, anonymised=anonymised)


ROUTES = (service_cmr_list, member_cmr_list, transmitted_cmr_list_file)


def _known_at(text: str | None) -> int:
    try:
        return known_at_of(text)
    except ValueError:
        raise ValidationException(UNREADABLE_KNOWN_AT, extra={"code": "BAD_REQUEST"}) from None


def _file(lines: Iterable[Line], file_format: FileFormat, name: str, *, anonymised: bool) -> Stream:
    if anonymised:
        name += "-anonyme"
    chunks = file_chunks(lines, file_format, anonymised=anonymised)
    return Stream(
        _in_threads(chunks),
        media_type=MEDIA_TYPES[file_format],
        headers={
            "Content-Disposition": f'attachment; filename="{name}.{file_format.value}"',
            "Cache-Control": "no-store",
        },
    )


async def _in_threads(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    """The chunks, each made in a worker thread (they read the store), sent as they come."""
    while True:
        chunk = await blocking(lambda: next(chunks, None))
        if chunk is None:
            return
        yield chunk
