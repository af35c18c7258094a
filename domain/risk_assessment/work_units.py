"""Work units (step 6) and the evaluations of their risks (step 7)."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from uuid import UUID

from domain.risk_assessment.rating import Priority, check_risk_code, priority
from domain.text import MAX_DESCRIPTION, optional_text, required_text


@dataclass(frozen=True, slots=True)
class WorkUnit:
    """Unité de travail: employees exposed to the same risks."""

    unit_id: int
    name: str
    employee_ids: tuple[UUID, ...] = ()
    risk_codes: tuple[str, ...] = ()

    def validated(self) -> "WorkUnit":
        return replace(
            self,
            name=required_text(self.name, "name", "Le nom de l'unité de travail"),
            employee_ids=employee_ids_of(self.employee_ids),
            risk_codes=tuple(dict.fromkeys(check_risk_code(c) for c in self.risk_codes)),
        )

    def canonical(self) -> "WorkUnit":
        return replace(self, risk_codes=tuple(sorted(self.risk_codes)))


def employee_ids_of(employee_ids: Iterable[UUID]) -> tuple[UUID, ...]:
    """Each employee once, in one order whatever the order they were chosen in."""
    return tuple(sorted(set(employee_ids)))


@dataclass(frozen=True, slots=True)
class RiskEvaluation:
    """Évaluation d'un risque dans une unité de travail. The priority is the one the matrix gave
    when the risk was evaluated, so a published version reads the same if the matrix changes."""

    unit_id: int
    risk_code: str
    severity: int
    probability: int
    priority: Priority
    description: str
    existing_measures: str | None = None

    def validated(self) -> "RiskEvaluation":
        return replace(
            self,
            risk_code=check_risk_code(self.risk_code),
            priority=priority(self.severity, self.probability),
            description=required_text(
                self.description,
                "description",
                "La description du risque",
                MAX_DESCRIPTION,
                multiline=True,
            ),
            existing_measures=optional_text(
                self.existing_measures,
                "existing_measures",
                "Les mesures existantes",
                MAX_DESCRIPTION,
                multiline=True,
            ),
        )
