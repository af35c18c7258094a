"""Documents unique made without the tool (seed 000, steps 6–8: « déposer votre document
unique »): the file is stored under its SHA-256, in the member's own store, then recorded in the
member's risk assessment by `RecordExistingRiskAssessmentDocument`.

Each member's files are kept in a store of their own: a digest leads to the files of the member
it is asked for, never to another member's; and the member is loaded first, with the caller's
reach, so nothing is written to, or read from, the store of a member out of reach.

Blocking (file I/O and the event store): the API calls it from worker threads only.
"""

from dataclasses import dataclass, replace
from typing import cast
from uuid import UUID

from application.requests import CommandResult, Request
from application.risk_assessment.commands import (
    RecordExistingRiskAssessmentDocument,
    RiskAssessmentQueries,
    check_member_reach,
)
from domain.actor import Actor
from domain.errors import InvalidValue, NotFound
from domain.risk_assessment.publication import SHA256, ExistingDocument
from storage.documents import DocumentStore, sha256_of

DOCUMENT_NOT_FOUND = NotFound("Ce document n'a pas été déposé.", code="DOCUMENT_NOT_FOUND")
UPLOAD_PATH = "/members/{member_id}/risk-assessment/document"
"""Where a file is sent to be stored and recorded (named in a refusal)."""


@dataclass(frozen=True, slots=True)
class DepositedDocument:
    document: ExistingDocument
    version: int
    """The risk assessment's version after the deposit."""


class RiskAssessmentDocuments:
    def __init__(self, app: RiskAssessmentQueries, store: DocumentStore):
        self.app = app
        self.store = store

    def deposit(
        self, request: Request, member_id: UUID, file_name: str, media_type: str, content: bytes
    ) -> DepositedDocument:
        """Stores the file, then records it (dated today in Paris). The domain's own checks of
        the file refuse it before anything is written."""
        check_member_reach(self.app, request, member_id)
        recorded_on, digest = self.app.clock.today(), sha256_of(content)
        document = ExistingDocument(
            1, file_name, media_type, len(content), digest, recorded_on
        ).validated()
        self._store_of(member_id).put(content)
        result = self.app.handle(
            request,
            RecordExistingRiskAssessmentDocument(
                member_id=member_id,
                file_name=file_name,
                media_type=media_type,
                size=len(content),
                sha256=digest,
                recorded_on=recorded_on,
            ),
        )
        number = cast(int, result.created_id)  # the command answers the document's number
        return DepositedDocument(replace(document, document_id=number), result.version)

    def record(
        self, request: Request, command: RecordExistingRiskAssessmentDocument
    ) -> CommandResult:
        """Records a file already stored (when the recording of a deposit failed): the member's
        own file of that digest and size."""
        check_member_reach(self.app, request, command.member_id)
        self._check_stored(command.member_id, command.sha256, command.size)
        return self.app.handle(request, command)

    def document(
        self, actor: Actor, member_id: UUID, sha256: str
    ) -> tuple[ExistingDocument, bytes]:
        """A document the member recorded, and its bytes checked against their SHA-256
        (`DocumentNotStored`, `DocumentCorrupted`: the file is missing or damaged)."""
        digest = sha256.strip().lower()
        assessment = self.app.risk_assessment(member_id, actor)
        document = next((d for d in assessment.documents if d.sha256 == digest), None)
        if document is None:
            raise DOCUMENT_NOT_FOUND.fresh()
        return document, self._store_of(member_id).get(document.sha256)

    def _check_stored(self, member_id: UUID, sha256: str, size: int) -> None:
        """A malformed digest is left to the domain's check."""
        digest = sha256.strip().lower()
        if not SHA256.match(digest):
            return
        stored = self._store_of(member_id).size(digest)
        if stored is None:
            raise NotFound(
                f"Ce fichier n'a pas été déposé : envoyez-le d'abord (POST {UPLOAD_PATH}), qui"
                " l'enregistre aussi.",
                code="DOCUMENT_NOT_UPLOADED",
            )
        if stored != size:
            raise InvalidValue(
                f"Le fichier déposé sous cette empreinte fait {stored} octets.",
                code="FILE_SIZE_MISMATCH",
                field="size",
            )

    def _store_of(self, member_id: UUID) -> DocumentStore:
        return self.store.within(str(member_id))
