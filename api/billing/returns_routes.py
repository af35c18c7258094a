"""The bank's file of returned direct debits, uploaded by the service's staff (issue 12):

    POST /billing/returns                                                   (ADMINISTER_SERVICE)
         body: the file itself, a pain.002.001.xx payment status report or a camt.054.001.xx
         debit notification (e.g. `Content-Type: application/xml`); 5 MB at most.
         200 `ReturnsReport`: each transaction RECORDED (the invoice reopens, its reduction is
         lost, its billing users get a mail), ALREADY_RECORDED (the same file again records
         nothing twice) or REFUSED with its code and French message.
         422 `FileRefused`: not a readable XML file, a DTD or entities, another message.

Access as the other plain endpoints (`api.plain_access`): no session 401; the password sent by
the service still to change 403; not the service's staff 403 (logged in the access log).
The work is `application.billing.sepa.returns.import_returns`'s.
"""

from datetime import date
from typing import Any

import msgspec
from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.status_codes import HTTP_200_OK, HTTP_422_UNPROCESSABLE_ENTITY

from api.plain_access import authorised
from api.services import Services
from api.threads import blocking
from application.billing.sepa.return_files import MAX_FILE_BYTES
from application.billing.sepa.returns import ImportedReturns, Outcome, import_returns
from domain.accounts.access import Principal, Right
from domain.errors import InvalidValue
from projections.billing.queries import InvoiceQueries

IMPORT_OPERATION = "importDebitReturns"
"""The operation's name in the access log."""


class ReturnLine(msgspec.Struct):
    end_to_end_id: str
    amount: str | None
    reason_code: str
    returned_on: date
    outcome: Outcome
    message: str
    code: str | None


class ReturnsReport(msgspec.Struct):
    message: str
    file_message: str
    """pain.002 or camt.054."""
    message_id: str
    recorded: int
    already_recorded: int
    refused: int
    lines: list[ReturnLine]


class FileRefused(msgspec.Struct):
    code: str
    message: str


@post("/billing/returns", status_code=HTTP_200_OK, request_max_body_size=MAX_FILE_BYTES)
async def import_debit_returns(
    request: Request[Any, Any, Any], services: NamedDependency[Services]
) -> Response[Any]:
    """Record the returned debits a bank's file lists (the service's staff)."""
    principal = await _staff(request, services)
    content = await request.body()

    def record() -> ImportedReturns:
        services.catch_up()  # the read models know every invoice presented
        invoices = services.read(InvoiceQueries)
        return import_returns(services.app, principal.actor, content, invoices.invoice_id_of)

    try:
        imported = await blocking(record)
    except InvalidValue as refusal:
        refused = FileRefused(refusal.code, refusal.message)
        return Response(refused, status_code=HTTP_422_UNPROCESSABLE_ENTITY)
    return Response(report_of(imported))


ROUTES = (import_debit_returns,)


def report_of(imported: ImportedReturns) -> ReturnsReport:
    return ReturnsReport(
        message=imported.summary,
        file_message=imported.message,
        message_id=imported.message_id,
        recorded=imported.count(Outcome.RECORDED),
        already_recorded=imported.count(Outcome.ALREADY_RECORDED),
        refused=imported.count(Outcome.REFUSED),
        lines=[
            ReturnLine(
                end_to_end_id=line.returned.end_to_end_id,
                amount=None if line.returned.amount is None else str(line.returned.amount.amount),
                reason_code=line.returned.reason_code,
                returned_on=line.returned.returned_on,
                outcome=line.outcome,
                message=line.message,
                code=line.code,
            )
            for line in imported.outcomes
        ],
    )


async def _staff(request: Request[Any, Any, Any], services: Services) -> Principal:
    return await authorised(request, services, Right.ADMINISTER_SERVICE, IMPORT_OPERATION)
