"""Documents unique made without the tool, deposited through the application service (no API):
the file stored under its SHA-256 in the member's own store, then recorded; read back checked;
nothing written for a refused file or a member out of reach."""

from pathlib import Path
from uuid import UUID

import pytest

from application.registre import Registre
from application.risk_assessment.commands import RecordExistingRiskAssessmentDocument
from application.risk_assessment.documents import RiskAssessmentDocuments
from domain.errors import InvalidValue, NotFound
from storage.documents import DocumentStore, sha256_of
from tests.integration.test_risk_assessment import a_member, a_request

PDF = b"%PDF-1.7\n% document unique 2025\n"
PDF_TYPE = "application/pdf"


@pytest.fixture
def documents(app: Registre, tmp_path: Path) -> RiskAssessmentDocuments:
    return RiskAssessmentDocuments(app, DocumentStore(tmp_path / "documents"))


def files_of(documents: RiskAssessmentDocuments, member_id: UUID) -> list[Path]:
    folder = documents.store.within(str(member_id)).folder
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_a_deposit_stores_the_file_then_records_it(
    app: Registre, documents: RiskAssessmentDocuments
) -> None:
    member_id = a_member(app)

    deposited = documents.deposit(
        a_request(), member_id, " DUERP 2025.pdf ", "Application/PDF", PDF
    )

    document = deposited.document
    assert (document.document_id, document.file_name, document.media_type) == (
        1,
        "DUERP 2025.pdf",
        PDF_TYPE,
    )
    assert (document.size, document.sha256) == (len(PDF), sha256_of(PDF))
    assert document.recorded_on == app.clock.today()
    assert app.risk_assessment(member_id).documents == (document,)
    assert deposited.version == app.risk_assessment(member_id).version
    assert documents.document(a_request().actor, member_id, document.sha256.upper()) == (
        document,
        PDF,
    )


def test_a_refused_file_is_not_written(app: Registre, documents: RiskAssessmentDocuments) -> None:
    member_id = a_member(app)

    with pytest.raises(InvalidValue) as refused:
        documents.deposit(a_request(), member_id, "duerp.txt", "text/plain", PDF)

    assert refused.value.code == "UNSUPPORTED_MEDIA_TYPE"
    assert files_of(documents, member_id) == []
    with pytest.raises(NotFound):
        app.risk_assessment(member_id)


def test_nothing_is_written_for_a_member_out_of_reach(
    app: Registre, documents: RiskAssessmentDocuments
) -> None:
    member_id, other = a_member(app), a_member(app, "00020")

    with pytest.raises(NotFound) as refused:
        documents.deposit(a_request(on_behalf_of=other), member_id, "duerp.pdf", PDF_TYPE, PDF)

    assert refused.value.code == "MEMBER_NOT_FOUND"
    assert files_of(documents, member_id) == []


def test_recording_again_needs_the_members_own_stored_file(
    app: Registre, documents: RiskAssessmentDocuments
) -> None:
    member_id, other = a_member(app), a_member(app, "00020")
    documents.store.within(str(other)).put(PDF)

    def record(size: int) -> int | None:
        command = RecordExistingRiskAssessmentDocument(
            member_id=member_id,
            file_name="duerp.pdf",
            media_type=PDF_TYPE,
            size=size,
            sha256=sha256_of(PDF),
            recorded_on=app.clock.today(),
        )
        return documents.record(a_request(), command).created_id

    with pytest.raises(NotFound) as missing:
        record(len(PDF))
    assert missing.value.code == "DOCUMENT_NOT_UPLOADED"
    documents.store.within(str(member_id)).put(PDF)
    with pytest.raises(InvalidValue) as mismatch:
        record(len(PDF) + 1)
    assert mismatch.value.code == "FILE_SIZE_MISMATCH"
    assert record(len(PDF)) == 1


def test_a_document_not_recorded_is_not_found(
    app: Registre, documents: RiskAssessmentDocuments
) -> None:
    member_id = a_member(app)
    documents.deposit(a_request(), member_id, "duerp.pdf", PDF_TYPE, PDF)
    unrecorded = b"%PDF-1.7\n% brouillon\n"
    documents.store.within(str(member_id)).put(unrecorded)

    with pytest.raises(NotFound) as refused:
        documents.document(a_request().actor, member_id, sha256_of(unrecorded))

    assert refused.value.code == "DOCUMENT_NOT_FOUND"
