"""The employee list (seed 004 §2.3) as a file: plain HTTP beside GraphQL, since files go down.

    GET /members/{member_id}/employees.xlsx                                (READ_WORKFORCE)
    GET /members/{member_id}/employees.pdf                                 (READ_WORKFORCE)
         the employees the `employees` query lists with the same filters, all of them (at most
         `EXPORT_LIMIT`), by name: Excel to work on, PDF to print
         (`application.workforce.employee_list`).

Query, as the list's arguments: `status` ACTIVE or INACTIVE, `category` SI, SIA or SIR,
`contractType` (CDI, CDD…), `branchCode`, `search` (names), `validOn` AAAA-MM-JJ (default
today in Paris). A value that cannot be read: 400 with its code and a French message.

Access as the list query's (`api.plain_access`): no session 401; the password sent by the
service still to change 403; the right missing 403 (logged); a member outside the caller's scope
404, as an unknown one. The follow-up category is health data: the read is logged in the access
log with the employees listed, as the query's is.
"""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar
from uuid import UUID

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromPath, QueryParameter

from api.plain_access import authorised_member
from api.services import Services
from api.threads import blocking
from application.workforce.employee_list import employee_list_pdf, employee_list_xlsx
from application.workforce.exposure_import import XLSX_MEDIA_TYPE
from domain.accounts.access import Principal, Right
from domain.errors import InvalidValue
from domain.text import optional_text
from domain.workforce.employment import ContractType
from domain.workforce.follow_up import FollowUp
from projections.members.members import MemberView
from projections.timeline import knowledge
from projections.workforce.workforce_queries import WorkforceFilter, WorkforceRow

LIST_PATH = "/members/{member_id:uuid}/employees"
XLSX_OPERATION = "employeeListXlsx"
PDF_OPERATION = "employeeListPdf"
"""The operations' names in the access log."""
EXPORT_LIMIT = 10_000
BATCH = 500
STATUSES = {"ACTIVE": True, "INACTIVE": False}
STATUS_WORDS = {True: "présents", False: "sortis"}
MAX_SEARCH = 100
MAX_BRANCH_CODE = 20
TOO_MANY = f"La liste compte plus de {EXPORT_LIMIT:,} salariés : resserrez les filtres.".replace(
    ",", " "
)

Text = Annotated[str | None, QueryParameter(max_length=200)]
E = TypeVar("E")


ContractTypeParam = Annotated[str | None, QueryParameter(name="contractType", max_length=200)]
BranchCodeParam = Annotated[str | None, QueryParameter(name="branchCode", max_length=200)]
ValidOnParam = Annotated[date | None, QueryParameter(name="validOn")]


@get([f"{LIST_PATH}.xlsx", f"{LIST_PATH}.pdf"])
async def employee_list_file(  # noqa: PLR0917 (the list's filters)
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    member_id: FromPath[UUID],
    status: Text = None,
    category: Text = None,
    contract_type: ContractTypeParam = None,
    branch_code: BranchCodeParam = None,
    search: Text = None,
    valid_on: ValidOnParam = None,
) -> Response[bytes]:
    """The list as an Excel workbook, or printed as a PDF (READ_WORKFORCE)."""
    filters = (status, category, contract_type, branch_code, search)
    pdf = request.url.path.endswith(".pdf")
    return await _export(request, services, member_id, filters, valid_on, pdf=pdf)


async def _export(
    request: Request[Any, Any, Any],
    services: Services,
    member_id: UUID,
    filters: tuple[str | None, ...],
    valid_on: date | None,
    *,
    pdf: bool,
) -> Response[bytes]:
    operation = PDF_OPERATION if pdf else XLSX_OPERATION
    principal, member = await authorised_member(
        request, services, member_id, Right.READ_WORKFORCE, operation
    )
    where, words = _filter(*filters)
    on = valid_on or services.clock.today()

    def render() -> bytes:
        rows = _rows(services, principal, member, on, where, operation)
        if pdf:
            return employee_list_pdf(rows, member.legal_name, member.member_code, on, words)
        return employee_list_xlsx(rows, member.legal_name, on, words)

    content = await blocking(render)
    name = f"salaries-{member.member_code}-{on:%Y-%m-%d}.{'pdf' if pdf else 'xlsx'}"
    return _file(content, "application/pdf" if pdf else XLSX_MEDIA_TYPE, name)


ROUTES = (employee_list_file,)


def _filter(
    status: str | None,
    category: str | None,
    contract_type: str | None,
    branch_code: str | None,
    search: str | None,
) -> tuple[WorkforceFilter, list[str]]:
    """The list's filter and its French words (printed above the list); 400 on a bad value."""
    active = _one_of("status", status, STATUSES.get, "ACTIVE, INACTIVE")
    follow_up = _one_of("category", category, _enum(FollowUp), "SI, SIA, SIR")
    contract = _one_of(
        "contractType", contract_type, _enum(ContractType), ", ".join(c.value for c in ContractType)
    )
    try:
        branch = optional_text(
            branch_code, "branchCode", "Le code d'établissement", MAX_BRANCH_CODE
        )
        searched = optional_text(search, "search", "La recherche", MAX_SEARCH)
    except InvalidValue as error:
        raise ValidationException(
            error.message, extra={"code": error.code, "field": error.field}
        ) from None
    words = [
        *([] if active is None else [f"salariés {STATUS_WORDS[active]}"]),
        *([] if follow_up is None else [f"suivi {follow_up.value}"]),
        *([] if contract is None else [f"contrat {contract.label}"]),
        *([] if branch is None else [f"établissement {branch}"]),
        *([] if searched is None else [f"recherche « {searched} »"]),
    ]
    where = WorkforceFilter(
        active=active,
        category=None if follow_up is None else follow_up.value,
        contract_type=None if contract is None else contract.value,
        branch_code=branch,
        search=searched,
    )
    return where, words


def _enum(kind: type[E]) -> Callable[[str], E | None]:
    def read(text: str) -> E | None:
        try:
            return kind(text)  # type: ignore[call-arg]
        except ValueError:
            return None

    return read


def _one_of(
    name: str, given: str | None, read: Callable[[str], E | None], accepted: str
) -> E | None:
    if given is None or not given.strip():
        return None
    found = read(given.strip().upper() if name != "contractType" else given.strip())
    if found is None:
        raise ValidationException(
            f"« {name} » n'accepte que : {accepted}.",
            extra={"code": "INVALID_FILTER", "field": name},
        )
    return found


def _rows(  # noqa: PLR0917
    services: Services,
    principal: Principal,
    member: MemberView,
    on: date,
    where: WorkforceFilter,
    operation: str,
) -> list[WorkforceRow]:
    """Every employee of the list, page after page of the read model; their read logged."""
    known, rows = knowledge(None), []
    after: tuple[str, UUID] | None = None
    while True:
        page = services.workforce.employees(
            member.member_id, on, known, where, after=after, limit=BATCH
        )
        rows.extend(page)
        if len(rows) > EXPORT_LIMIT:
            raise ValidationException(TOO_MANY, extra={"code": "LIST_TOO_LONG"})
        if len(page) < BATCH:
            break
        after = (page[-1].sort_key, page[-1].employee_id)
    if rows:
        subjects = {row.employee_id for row in rows}
        services.access.log_health_read(principal, operation, member.member_id, subjects)
    return rows


def _file(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
