"""Billing's files: plain HTTP beside GraphQL, since files go down.

    GET /billing/{member_id}/invoices/{number}.pdf                           (READ_BILLING)
    GET /billing/{member_id}/invoices/{number}.xml
         200: the invoice's Factur-X PDF (its CII XML alone with `.xml`), byte for byte as it was
         rendered once after the issue and kept (`application.billing.document_keeping`); its
         SHA-256 in `X-Content-SHA256` (hex, as GraphQL's `Invoice.documentSha256`) and `ETag`.
         404 INVOICE_NOT_FOUND: the member has no invoice of that number, and the same answer,
         word for word, for a member outside the caller's reach or unknown.
         409 DOCUMENT_NOT_READY, with `Retry-After`: the invoice is issued, its documents not
         rendered yet (the reaction that renders them is a moment behind). The route never
         renders an invoice itself: every download returns the kept bytes.
         500 DOCUMENT_UNAVAILABLE: the kept file is missing or damaged (logged).
    GET /billing/{member_id}/schedule.pdf?asOf=YYYY-MM-DD                    (READ_BILLING)
         200: the account schedule (échéancier) as of that day, today in Paris by default, as a
         PDF (`application.billing.account_schedule`); 404 for a member out of reach.

Access as on the risk-assessment documents (`api.plain_access.authorised_member`): no session
401; the password sent by the service still to change 403; the right missing 403 (logged in the
access log): the member's billing and administrator users, the service's staff and auditors.
"""

import logging
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.status_codes import (
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_500_INTERNAL_SERVER_ERROR,
)

from api.billing.types import kept_documents
from api.downloads import download
from api.plain_access import authorised_member
from api.services import Services
from api.threads import blocking
from application.billing.account_schedule import account_schedule_pdf
from application.billing.issuing import INVOICE_NOT_FOUND
from domain.accounts.access import Right
from projections.billing.queries import InvoiceQueries
from storage.documents import DocumentCorrupted, DocumentNotStored, sha256_of

log = logging.getLogger(__name__)

DOCUMENT_OPERATION = "invoiceDocument"
SCHEDULE_OPERATION = "accountSchedulePdf"
"""The operations' names in the access log."""
MEDIA_TYPES = {"pdf": "application/pdf", "xml": "application/xml"}
RETRY_AFTER_SECONDS = 5
"""Far more than the reaction usually needs to render a document after the issue."""


@get("/billing/{member_id:uuid}/invoices/{file_name:str}")
async def invoice_document(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    member_id: FromPath[UUID],
    file_name: FromPath[str],
) -> Response[Any]:
    """An invoice's kept document: `<number>.pdf` or `<number>.xml` (READ_BILLING)."""
    try:
        await authorised_member(
            request, services, member_id, Right.READ_BILLING, DOCUMENT_OPERATION
        )
    except NotFoundException:
        return _invoice_not_found()
    number, _, extension = file_name.rpartition(".")
    if extension not in MEDIA_TYPES:
        return _invoice_not_found()
    documents = kept_documents(services)
    kept = await blocking(lambda: documents.kept(member_id, number))
    if kept is None:
        issued = await blocking(lambda: _issued(services, member_id, number))
        return _not_ready() if issued else _invoice_not_found()
    sha256 = kept.pdf_sha256 if extension == "pdf" else kept.xml_sha256
    try:
        content = await blocking(lambda: documents.content(sha256))
    except (DocumentNotStored, DocumentCorrupted) as error:
        log.error(
            "document of invoice %s of member %s: %s", kept.number, member_id, type(error).__name__
        )
        return _unavailable()
    return download(content, MEDIA_TYPES[extension], f"{kept.number}.{extension}", sha256)


@get("/billing/{member_id:uuid}/schedule.pdf")
async def account_schedule(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    member_id: FromPath[UUID],
    as_of: Annotated[date | None, QueryParameter(name="asOf")] = None,
) -> Response[bytes]:
    """The account schedule as of a day, printed (READ_BILLING)."""
    _, member = await authorised_member(
        request, services, member_id, Right.READ_BILLING, SCHEDULE_OPERATION
    )
    day = as_of or services.clock.today()

    def render() -> bytes:
        schedule = services.read(InvoiceQueries).schedule(member_id, day)
        return account_schedule_pdf(schedule, member.legal_name, member.member_code, day)

    content = await blocking(render)
    return download(
        content, MEDIA_TYPES["pdf"], f"echeancier-{day.isoformat()}.pdf", sha256_of(content)
    )


ROUTES = (invoice_document, account_schedule)


def _issued(services: Services, member_id: UUID, number: str) -> bool:
    """Whether the member has an invoice of that number (as the read side knows it)."""
    invoices = services.read(InvoiceQueries).invoices(member_id, services.clock.today())
    return any(invoice.number == number for invoice in invoices)


def _invoice_not_found() -> Response[Any]:
    return _refused(HTTP_404_NOT_FOUND, INVOICE_NOT_FOUND.code, INVOICE_NOT_FOUND.message)


def _not_ready() -> Response[Any]:
    return _refused(
        HTTP_409_CONFLICT,
        "DOCUMENT_NOT_READY",
        "Le document de cette facture est en cours de préparation : réessayez dans un instant.",
        {"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _unavailable() -> Response[Any]:
    return _refused(
        HTTP_500_INTERNAL_SERVER_ERROR,
        "DOCUMENT_UNAVAILABLE",
        "Le document conservé est introuvable ou altéré : le service en a été averti.",
    )


def _refused(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response[Any]:
    """A refusal in the shape of Litestar's own, as the authorisation's 401 and 403 come
    (`status_code`, `detail`, `extra.code`); its message is shown even with a 500."""
    body = {"status_code": status, "detail": message, "extra": {"code": code}}
    return Response(body, status_code=status, headers=headers)
