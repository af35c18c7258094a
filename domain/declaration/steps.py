"""The steps of the annual declaration (seed 000), their progress, and its statuses.

Steps open in order, except the optional risk-assessment tool (6–8), which never holds up the
situations and CMR list (9) nor the recap (10).
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace

from domain.errors import Conflict, RuleViolation
from domain.labelled import LabelledEnum

Answer = bool | int | float | str | list[str]
"""A prevention answer: yes/no, a number, a choice, several choices, a free text."""


class Step(LabelledEnum):
    COMPANY = "COMPANY", "informations administratives"
    CONTACTS = "CONTACTS", "utilisateurs et contacts"
    WORKFORCE = "WORKFORCE", "effectif"
    PREVENTION = "PREVENTION", "informations de prévention"
    RISKS = "RISKS", "risques dans votre entreprise"
    RISK_TOOL = "RISK_TOOL", "outil d'évaluation des risques"
    SITUATIONS_AND_CMR = "SITUATIONS_AND_CMR", "situations de travail et agents CMR"
    RECAP = "RECAP", "récapitulatif"

    @property
    def number(self) -> str:
        return _STEP_NUMBERS[self]


_STEP_NUMBERS = {
    Step.COMPANY: "1",
    Step.CONTACTS: "2",
    Step.WORKFORCE: "3",
    Step.PREVENTION: "4",
    Step.RISKS: "5",
    Step.RISK_TOOL: "6 à 8",
    Step.SITUATIONS_AND_CMR: "9",
    Step.RECAP: "10",
}
STEPS = tuple(Step)
OPTIONAL_STEPS = frozenset({Step.RISK_TOOL})


@dataclass(frozen=True, slots=True)
class StepProgress:
    completed: bool = False
    revision: int = 0


class DeclarationStatus(LabelledEnum):
    TO_ENTER = "TO_ENTER", "à saisir"
    IN_PROGRESS = "IN_PROGRESS", "en cours"
    CONFIRMED = "CONFIRMED", "confirmée"
    NOT_ENTERABLE = "NOT_ENTERABLE", "non saisissable"
    """Derived by the read side: member suspended or terminated, or no campaign open."""


class StepConflict(Conflict):
    """Someone else changed this step's answers since the user's screen was loaded (a change
    of another step is no conflict)."""


def first_incomplete_before(progress: Mapping[Step, StepProgress], step: Step) -> Step | None:
    """The first required step before `step` not yet complete (`step` is not open until then)."""
    before = STEPS[: STEPS.index(step)]
    return next((s for s in before if s not in OPTIONAL_STEPS and not progress[s].completed), None)


def check_step_editable(
    progress: Mapping[Step, StepProgress], step: Step, expected_revision: int | None
) -> None:
    """Refuse a change of a step not open yet, or of one changed since the user's screen."""
    first = first_incomplete_before(progress, step)
    if first is not None:
        raise RuleViolation(
            f"Cette étape n'est pas encore ouverte : terminez d'abord l'étape {first.number}"
            f" ({first.label}).",
            code="STEP_NOT_OPEN",
        )
    revision = progress[step].revision
    if expected_revision is not None and expected_revision != revision:
        raise StepConflict(
            f"L'étape {step.number} ({step.label}) a été modifiée par quelqu'un d'autre"
            " entre-temps : rechargez-la pour voir ses dernières réponses.",
            current_version=revision,
        )


def touched(
    progress: Mapping[Step, StepProgress], step: Step, completed: bool | None
) -> dict[Step, StepProgress]:
    """A change of a step: its revision moves on; a change of its answers (`completed` None)
    asks for it to be validated again."""
    current = progress[step]
    revised = replace(current, revision=current.revision + 1, completed=bool(completed))
    return {**progress, step: revised}
