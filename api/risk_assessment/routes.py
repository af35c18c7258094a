"""A document unique made without the tool (seed 000, steps 6–8: « déposer votre document
unique »): plain HTTP beside GraphQL, since files go up and down.

    POST /members/{member_id}/risk-assessment/document?fileName=…           (MANAGE_DECLARATION)
         body: the file itself; `Content-Type`: its media type (PDF, Word, Excel, OpenDocument);
         50 MB at most (413 beyond).
         201 {memberId, documentId, fileName, mediaType, size, sha256, recordedOn, version,
         downloadPath}: the file is stored under its SHA-256 and recorded in the member's risk
         assessment (`record_existing_risk_assessment_document`); `version` is the assessment's
         after the deposit.
         415 / 422 `DocumentRefused` {code, message, field}: the domain's refusal (media type,
         empty file, file name, already recorded, member not accepting changes); 409 conflict.
    GET  /members/{member_id}/risk-assessment/document/{sha256}             (READ_DECLARATION)
         200: the bytes, checked against their SHA-256, with the recorded media type and name;
         404 when the member's assessment records no document of that digest.

Access as on `/plain/employees`, GraphQL's guard and the exposure import: no session 401; the
password sent by the service still to change 403; the right missing 403 (logged in the access
log); a member outside the caller's scope 404, as an unknown one.

Only HTTP is translated here: storing, recording and reading back are the application's
(`application.risk_assessment.documents`); each member's files are kept in a store of their own
(`<REGISTRE_DATA_DIR>/documents/<member>`).
"""

import dataclasses
import logging
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.status_codes import (
    HTTP_201_CREATED,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_500_INTERNAL_SERVER_ERROR,
)

from api.context import new_request_id
from api.failures import camel_case
from api.plain_access import authorised_member
from api.risk_assessment.types import DOCUMENT_PATH, document_path
from api.services import Services
from api.threads import blocking
from application.requests import Request as CommandRequest
from domain.accounts.access import Right
from domain.errors import Conflict, DomainError, InvalidValue, NotFound
from domain.risk_assessment.publication import MAX_DOCUMENT_SIZE, ExistingDocument
from storage.documents import DocumentCorrupted, DocumentNotStored

log = logging.getLogger(__name__)

UPLOAD_OPERATION = "uploadRiskAssessmentDocument"
DOWNLOAD_OPERATION = "riskAssessmentDocument"
"""The operations' names in the access log."""
ROUTE = DOCUMENT_PATH.replace("{member_id}", "{member_id:uuid}")


class DocumentRefused(msgspec.Struct):
    code: str
    message: str
    field: str | None = None


# Endpoints -----------------------------------------------------------------------------------


@post(ROUTE, status_code=HTTP_201_CREATED, request_max_body_size=MAX_DOCUMENT_SIZE)
async def upload_risk_assessment_document(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    member_id: FromPath[UUID],
    file_name: Annotated[str, QueryParameter(name="fileName")],
) -> Response[Any]:
    """Stores the file and records it in the member's risk assessment (MANAGE_DECLARATION)."""
    principal, _ = await authorised_member(
        request, services, member_id, Right.MANAGE_DECLARATION, UPLOAD_OPERATION
    )
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    content = await request.body()

    def deposit() -> dict[str, Any]:
        by = CommandRequest(new_request_id(), principal.actor)
        deposited = services.risk_documents.deposit(by, member_id, file_name, media_type, content)
        services.settle()
        document = deposited.document
        return {
            "member_id": member_id,
            **dataclasses.asdict(document),
            "version": deposited.version,
            "download_path": document_path(member_id, document.sha256),
        }

    try:
        recorded = await blocking(deposit)
    except DomainError as error:
        return _refused(error)
    return Response(
        recorded,
        status_code=HTTP_201_CREATED,
        headers={"Location": recorded["download_path"]},
    )


@get(f"{ROUTE}/{{sha256:str}}")
async def risk_assessment_document(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    member_id: FromPath[UUID],
    sha256: FromPath[str],
) -> Response[Any]:
    """A document the member recorded, as it was uploaded (READ_DECLARATION)."""
    principal, _ = await authorised_member(
        request, services, member_id, Right.READ_DECLARATION, DOWNLOAD_OPERATION
    )
    digest = sha256.strip().lower()

    def fetch() -> tuple[ExistingDocument, bytes]:
        return services.risk_documents.document(principal.actor, member_id, digest)

    try:
        document, content = await blocking(fetch)
    except NotFound:
        refused = DocumentRefused("DOCUMENT_NOT_FOUND", "Ce document n'a pas été déposé.")
        return Response(refused, status_code=HTTP_404_NOT_FOUND)
    except (DocumentNotStored, DocumentCorrupted) as error:
        log.error("risk assessment document %s of member %s: %r", digest, member_id, error)
        refused = DocumentRefused(
            "DOCUMENT_UNAVAILABLE",
            "Le fichier enregistré est introuvable ou altéré : le service en a été averti.",
        )
        return Response(refused, status_code=HTTP_500_INTERNAL_SERVER_ERROR)
    return Response(
        content,
        media_type=document.media_type,
        headers={
            "Content-Disposition": _attachment(document.file_name),
            "ETag": f'"{document.sha256}"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


ROUTES = (upload_risk_assessment_document, risk_assessment_document)


# Answers -------------------------------------------------------------------------------------


def _refused(error: DomainError) -> Response[DocumentRefused]:
    field = None if error.field is None else camel_case(error.field)
    refused = DocumentRefused(error.code, error.message, field)
    if isinstance(error, NotFound):
        status = HTTP_404_NOT_FOUND
    elif isinstance(error, Conflict):
        status = HTTP_409_CONFLICT
    elif isinstance(error, InvalidValue) and error.code == "UNSUPPORTED_MEDIA_TYPE":
        status = HTTP_415_UNSUPPORTED_MEDIA_TYPE
    else:
        status = HTTP_422_UNPROCESSABLE_ENTITY
    return Response(refused, status_code=status)


def _attachment(file_name: str) -> str:
    """`Content-Disposition` for any name: an ASCII fallback, and the name itself (RFC 6266)."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in file_name
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"
