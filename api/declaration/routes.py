"""A confirmed declaration's receipt: plain HTTP beside GraphQL, since files go down.

    GET /declarations/{member_id}/{year}/receipt.pdf?edition=N                (READ_DECLARATION)
         200: the receipt of that confirmed edition, the last one by default, as a PDF
         (`application.declaration.receipt`): the same edition always gives the same bytes; its
         SHA-256 in `X-Content-SHA256` and `ETag`. It never prints the named workforce nor the
         CMR list, so the Billing role reads it too.
         404 DECLARATION_NOT_FOUND: no confirmed edition of that number, and the same answer,
         word for word, for a member outside the caller's reach or unknown.
         410 CONFIRMED_COPY_ERASED: the copy confirmed can no longer be read (its key was
         destroyed).

Access as on the risk-assessment documents (`api.plain_access.authorised_member`): no session
401; the password sent by the service still to change 403; the right missing 403 (logged in the
access log).
"""

from typing import Any
from uuid import UUID

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.status_codes import HTTP_410_GONE

from api.downloads import download
from api.plain_access import authorised_member
from api.services import Services
from api.threads import blocking
from application.declaration.commands import DECLARATION_NOT_FOUND
from application.declaration.receipt import receipt_pdf
from domain.accounts.access import Right
from domain.actor import SYSTEM_USER
from domain.declaration.campaign import FIRST_YEAR
from projections.declaration.views import ConfirmationView
from storage.documents import sha256_of

RECEIPT_OPERATION = "declarationReceipt"
"""The operation's name in the access log."""
BY_THE_SERVICE = "le service"


MAX_YEAR = 2100


@get("/declarations/{member_id:uuid}/{year:int}/receipt.pdf")
async def declaration_receipt(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    member_id: FromPath[UUID],
    year: FromPath[int],
    edition: FromQuery[int | None] = None,
) -> Response[bytes]:
    """The receipt of a confirmed edition of the member's declaration (READ_DECLARATION)."""
    try:
        await authorised_member(
            request, services, member_id, Right.READ_DECLARATION, RECEIPT_OPERATION
        )
    except NotFoundException:
        raise _declaration_not_found() from None

    if not FIRST_YEAR <= year <= MAX_YEAR:  # no declaration of that year: none to look up
        raise _declaration_not_found()

    def render() -> bytes:
        confirmations = services.declarations.confirmations(member_id, year)
        chosen = [c for c in confirmations if edition in (None, c.edition)]
        if not chosen:
            raise _declaration_not_found()
        confirmation = chosen[-1]
        opened = services.declarations.opened(confirmation)
        if opened is None:
            raise ClientException(
                "La copie confirmée de cette déclaration a été effacée : son reçu ne peut plus"
                " être imprimé.",
                status_code=HTTP_410_GONE,
                extra={"code": "CONFIRMED_COPY_ERASED"},
            )
        return receipt_pdf(confirmation, opened, _confirmer(services, confirmation))

    content = await blocking(render)
    return download(content, "application/pdf", f"declaration-{year}-recu.pdf", sha256_of(content))


ROUTES = (declaration_receipt,)


def _declaration_not_found() -> NotFoundException:
    return NotFoundException(
        DECLARATION_NOT_FOUND.message, extra={"code": DECLARATION_NOT_FOUND.code}
    )


def _confirmer(services: Services, confirmation: ConfirmationView) -> str:
    """Who confirmed: the person's name, or the service's own processes."""
    if confirmation.confirmed_by == SYSTEM_USER:
        return BY_THE_SERVICE
    account = services.accounts.account(UUID(confirmation.confirmed_by))
    if account is None:
        return BY_THE_SERVICE
    return f"{account.first_name} {account.last_name}"
