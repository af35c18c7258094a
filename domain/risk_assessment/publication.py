"""Versions of the document unique: those published with the tool, their content fixed with its
hash, and the documents a member made without it (their bytes are stored elsewhere, by SHA-256)."""

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date

import msgspec

from domain.errors import InvalidValue
from domain.risk_assessment.action_plan import PreventionAction
from domain.risk_assessment.work_units import RiskEvaluation, WorkUnit
from domain.text import required_text

MAX_FILE_NAME = 255
MAX_DOCUMENT_SIZE = 50 * 1024 * 1024
"""The service's limit for an uploaded document unique (50 Mio)."""
SHA256 = re.compile(r"^[0-9a-f]{64}$")
DOCUMENT_MEDIA_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.spreadsheet",
    }
)
YEARLY_UPDATE_HEADCOUNT = 11
"""From 11 employees the DUERP is updated at least once a year (R4121-2, RULES.md §4)."""


@dataclass(frozen=True, slots=True)
class AssessmentContent:
    """The canonical snapshot of a document unique: what a published version holds and hashes.
    Every tuple is in a fixed order; cancelled actions are left out."""

    units: tuple[WorkUnit, ...]
    evaluations: tuple[RiskEvaluation, ...]
    actions: tuple[PreventionAction, ...]


def content_hash(content: AssessmentContent) -> str:
    """SHA-256 of the content as msgspec JSON with sorted keys."""
    return hashlib.sha256(msgspec.json.encode(content, order="sorted")).hexdigest()


@dataclass(frozen=True, slots=True)
class PublishedVersion:
    number: int
    published_on: date
    content_hash: str
    content: AssessmentContent

    @property
    def is_intact(self) -> bool:
        """Whether the content rebuilt from the history still has the hash it was published
        with."""
        return content_hash(self.content) == self.content_hash


@dataclass(frozen=True, slots=True)
class ExistingDocument:
    """Un document unique déposé par l'adhérent, réalisé sans l'outil: the file itself is stored
    elsewhere, under its SHA-256."""

    document_id: int
    file_name: str
    media_type: str
    size: int
    sha256: str
    recorded_on: date

    def validated(self) -> "ExistingDocument":
        file_name = required_text(self.file_name, "file_name", "Le nom du fichier", MAX_FILE_NAME)
        if "/" in file_name or "\\" in file_name:
            raise InvalidValue(
                "Le nom du fichier ne peut contenir de chemin.",
                code="INVALID_FILE_NAME",
                field="file_name",
            )
        media_type = self.media_type.strip().lower()
        if media_type not in DOCUMENT_MEDIA_TYPES:
            raise InvalidValue(
                "Déposez votre document unique en PDF, Word, Excel ou OpenDocument.",
                code="UNSUPPORTED_MEDIA_TYPE",
                field="media_type",
            )
        if isinstance(self.size, bool) or not 0 < self.size <= MAX_DOCUMENT_SIZE:
            raise InvalidValue(
                "Le fichier est vide ou dépasse 50 Mo.", code="INVALID_FILE_SIZE", field="size"
            )
        sha256 = self.sha256.strip().lower()
        if not SHA256.match(sha256):
            raise InvalidValue(
                "L'empreinte SHA-256 du fichier n'est pas valide.",
                code="INVALID_SHA256",
                field="sha256",
            )
        return replace(self, file_name=file_name, media_type=media_type, sha256=sha256)
