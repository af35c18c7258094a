"""What the import works with: the rows read from the sheet, what the service knows of the
member's employees and exposures, the plan of the dry run and the outcome of applying it."""

import enum
import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from application.workforce.exposure_import.sheet import EXPOSURE_COLUMNS, Column
from domain.workforce.health import CmrAgent, Exposure, ExposureDegree, ExposureRoute


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One row of the sheet, as read: a date or number column holds the text given when that
    text is not a date or a number (`plan` reports it)."""

    row: int
    """The row's number in the sheet, as Excel shows it."""
    birth_name: str | None = None
    first_name: str | None = None
    birth_date: date | str | None = None
    employee_id: str | None = None
    agent_name: str | None = None
    cas_number: str | None = None
    started_on: date | str | None = None
    ended_on: date | str | None = None
    routes: str | None = None
    degree: str | None = None
    hours_per_week: Decimal | str | None = None
    comment: str | None = None

    @property
    def has_exposure_data(self) -> bool:
        """Whether the row says anything of an exposure (the template's rows of employees
        without one hold their identity only, and say nothing)."""
        return any(getattr(self, column.attribute) is not None for column in EXPOSURE_COLUMNS)


@dataclass(frozen=True, slots=True)
class EmployeeFacts:
    """What the import needs to know of an employee (read models:
    `projections.workforce.workforce`)."""

    employee_id: UUID
    member_id: UUID
    birth_name: str | None
    first_name: str | None
    birth_date: date | None
    usage_name: str | None = None
    active: bool = True
    """Under contract today: the template gives an empty row to active employees only."""
    first_hire_date: date | None = None
    """No exposure starts before it (None: not known, not checked)."""
    version: int | None = None
    """The employee's version when the plan was made (None: not known)."""

    @property
    def display_name(self) -> str:
        name = " ".join(n for n in (self.usage_name or self.birth_name, self.first_name) if n)
        return name or "Salarié (identité effacée)"


@dataclass(frozen=True, slots=True)
class KnownExposure:
    """An exposure the service knows (recorded, not withdrawn):
    `projections.workforce.exposures`."""

    employee_id: UUID
    exposure_id: int
    agent: CmrAgent
    started_on: date
    ended_on: date | None = None
    routes: tuple[ExposureRoute, ...] = ()
    hours_per_week: Decimal | None = None
    degree: ExposureDegree | None = None
    comment: str | None = None


# The dry run ---------------------------------------------------------------------------------


class Action(enum.Enum):
    RECORD = "RECORD"
    """A new exposure is recorded."""
    END = "END"
    """An exposure still running gets its last day."""
    UNCHANGED = "UNCHANGED"
    """The row is an exposure already recorded, as recorded."""


@dataclass(frozen=True, slots=True)
class RowError:
    column: Column | None
    code: str
    message: str
    """French, for the portal's user, naming the row and the column."""


@dataclass(frozen=True, slots=True)
class PlannedRow:
    row: int
    action: Action | None
    """None when the row has errors."""
    errors: tuple[RowError, ...] = ()
    employee_id: UUID | None = None
    """The employee the row names, once found among the member's."""
    employee_version: int | None = None
    exposure: Exposure | None = None
    """RECORD: the exposure to record (its id is given when recorded); END, UNCHANGED: the
    recorded exposure."""
    last_day: date | None = None
    """END: the exposure's last day."""
    summary: str = ""


@dataclass(frozen=True, slots=True)
class ImportPlan:
    member_id: UUID
    digest: str
    """The upload's SHA-256: request ids derive from it."""
    rows: tuple[PlannedRow, ...]
    ignored_rows: int = 0
    """Rows that said nothing of an exposure (an employee's identity alone)."""

    @property
    def can_apply(self) -> bool:
        return not any(row.errors for row in self.rows)

    @property
    def errors(self) -> tuple[RowError, ...]:
        return tuple(error for row in self.rows for error in row.errors)

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action is action)


@dataclass(frozen=True, slots=True)
class AppliedRow:
    row: int
    action: Action
    employee_id: UUID
    exposure_id: int
    last_day: date | None = None


@dataclass(frozen=True, slots=True)
class RowFailure:
    row: int
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class ApplyOutcome:
    applied: tuple[AppliedRow, ...]
    unchanged: int
    failure: RowFailure | None = None
    """The command refused at apply time (the rows before it were recorded): sending the
    same file again records the rest."""


def digest_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
