"""What an import of the workforce reads, plans and records."""

import enum
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from application.workforce.exposure_import.model import RowFailure
from domain.workforce.employment import ContractTerms, ExitReason, Identity

Value = str | date


class Field(enum.Enum):
    """A value of a person in a file, with its column title in the spreadsheet."""

    BIRTH_NAME = "birth_name", "Nom de naissance"
    FIRST_NAME = "first_name", "Prénom"
    USAGE_NAME = "usage_name", "Nom d'usage"
    BIRTH_DATE = "birth_date", "Date de naissance"
    SEX = "sex", "Sexe"
    NIR = "nir", "NIR"
    HIRE_DATE = "hire_date", "Date d'embauche"
    JOB_TITLE = "job_title", "Poste"
    CONTRACT_TYPE = "contract_type", "Type de contrat"
    PCS_CODE = "pcs_code", "Code PCS-ESE"
    BRANCH_CODE = "branch_code", "Établissement"
    TRIAL_END = "trial_end", "Fin de période d'essai"
    PLANNED_END = "planned_end", "Fin prévue du contrat"
    EXIT_DATE = "exit_date", "Date de sortie"
    EXIT_REASON = "exit_reason", "Motif de sortie"

    def __init__(self, name: str, title: str) -> None:
        self.domain_name = name
        self.title = title

    @classmethod
    def of(cls, domain_name: str | None) -> "Field | None":
        return next((f for f in cls if f.domain_name == domain_name), None)


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One person as a file gives them: `number` is the row (spreadsheet) or the line of the
    individual's first rubric (DSN); `lines` the line of each value, where it differs."""

    number: int
    values: dict[Field, Value]
    lines: dict[Field, int] = field(default_factory=dict)

    def line_of(self, value: Field | None) -> int:
        return self.number if value is None else self.lines.get(value, self.number)


@dataclass(frozen=True, slots=True)
class RowError:
    """`row`: the row, or the DSN line, at fault; `column`: the spreadsheet's title of the
    value (None: the row as a whole). `message` is French and names neither value nor person."""

    row: int
    column: str | None
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Person:
    """A row read without error."""

    row: int
    identity: Identity
    hire_date: date
    terms: ContractTerms
    exit_date: date | None = None
    exit_reason: ExitReason | None = None


class Change(enum.Enum):
    """What applying a row does; a row may do several (its identity and its contract)."""

    HIRE = "HIRE", "Nouvelle embauche"
    POSSIBLE_DUPLICATE = "POSSIBLE_DUPLICATE", "Doublon possible : à confirmer"
    IDENTITY = "IDENTITY", "Identité modifiée"
    CONTRACT = "CONTRACT", "Contrat modifié"
    REHIRE = "REHIRE", "Réembauche"
    EXIT = "EXIT", "Sortie"

    def __init__(self, code: str, label: str) -> None:
        self.label = label


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """A row of the plan: its person, the employee it is (None: a new one) and its changes
    (none: unchanged)."""

    person: Person
    employee_id: UUID | None
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class WorkforcePlan:
    """The dry run of a file: every row's changes, every error of every row, and the active
    employees the file does not name (shown, never closed: a file may hold part of the
    workforce)."""

    member_id: UUID
    digest: str
    rows: tuple[PlannedRow, ...]
    errors: tuple[RowError, ...]
    not_in_file: tuple[UUID, ...] = ()

    @property
    def can_apply(self) -> bool:
        return not self.errors

    def count(self, change: Change) -> int:
        return sum(change in row.changes for row in self.rows)

    @property
    def unchanged(self) -> int:
        return sum(not row.changes for row in self.rows)


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What applying recorded: the rows applied (a retry counts them again, records nothing
    twice), the possible duplicates left out (not confirmed), and the first failure, if any —
    the rows before it stay recorded; sending the same file again resumes there."""

    applied: tuple[int, ...]
    left_out: tuple[int, ...]
    failure: RowFailure | None = None
