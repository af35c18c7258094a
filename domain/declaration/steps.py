"""The steps of the annual declaration (seed 000), their progress, and its statuses.

Steps open in order, except the optional risk-assessment tool (6–8), which never holds up the
situations and CMR list (9) nor the recap (10).
"""

import enum
from dataclasses import dataclass

Answer = bool | int | float | str | list[str]
"""A prevention answer: yes/no, a number, a choice, several choices, a free text."""


class Step(enum.Enum):
    COMPANY = "COMPANY"
    CONTACTS = "CONTACTS"
    WORKFORCE = "WORKFORCE"
    PREVENTION = "PREVENTION"
    RISKS = "RISKS"
    RISK_TOOL = "RISK_TOOL"
    SITUATIONS_AND_CMR = "SITUATIONS_AND_CMR"
    RECAP = "RECAP"

    @property
    def label(self) -> str:
        return _STEP_LABELS[self]

    @property
    def number(self) -> str:
        return _STEP_NUMBERS[self]


_STEP_LABELS = {
    Step.COMPANY: "informations administratives",
    Step.CONTACTS: "utilisateurs et contacts",
    Step.WORKFORCE: "effectif",
    Step.PREVENTION: "informations de prévention",
    Step.RISKS: "risques dans votre entreprise",
    Step.RISK_TOOL: "outil d'évaluation des risques",
    Step.SITUATIONS_AND_CMR: "situations de travail et agents CMR",
    Step.RECAP: "récapitulatif",
}
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


class DeclarationStatus(enum.Enum):
    TO_ENTER = "TO_ENTER"
    IN_PROGRESS = "IN_PROGRESS"
    CONFIRMED = "CONFIRMED"
    NOT_ENTERABLE = "NOT_ENTERABLE"
    """Derived by the read side: member suspended or terminated, or no campaign open."""

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    DeclarationStatus.TO_ENTER: "à saisir",
    DeclarationStatus.IN_PROGRESS: "en cours",
    DeclarationStatus.CONFIRMED: "confirmée",
    DeclarationStatus.NOT_ENTERABLE: "non saisissable",
}
