"""The action plan (step 8): prevention actions, global or targeted on a risk of some units."""

import enum
from dataclasses import dataclass, replace
from datetime import date

from domain.risk_assessment.rating import check_risk_code, check_suggestion_code
from domain.text import required_text

MAX_TITLE = 200


class ActionScope(enum.Enum):
    """The three parts of the action plan."""

    GLOBAL = "GLOBAL"
    MAJOR_RISKS = "MAJOR_RISKS"
    OTHER_RISKS = "OTHER_RISKS"

    @property
    def label(self) -> str:
        return {
            ActionScope.GLOBAL: "globale à l'entreprise",
            ActionScope.MAJOR_RISKS: "ciblée sur les risques majeurs",
            ActionScope.OTHER_RISKS: "ciblée sur les autres risques",
        }[self]


class ActionStatus(enum.Enum):
    PLANNED = "PLANNED"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True, slots=True)
class PreventionAction:
    """Action de prévention du plan d'action. A global action may name no risk and no unit (the
    whole company); a targeted one names its risk and the units it is carried out in."""

    action_id: int
    scope: ActionScope
    title: str
    risk_code: str | None
    unit_ids: tuple[int, ...]
    due_on: date
    owner: str
    suggestion_code: str | None = None
    """The catalogue's suggested action it was added from ("Ajouter"), if any."""
    status: ActionStatus = ActionStatus.PLANNED
    done_on: date | None = None

    def validated(self) -> "PreventionAction":
        return replace(
            self,
            title=required_text(self.title, "title", "L'intitulé de l'action", MAX_TITLE),
            owner=required_text(self.owner, "owner", "Le responsable de l'action"),
            risk_code=None if self.risk_code is None else check_risk_code(self.risk_code),
            unit_ids=tuple(sorted(set(self.unit_ids))),
            suggestion_code=(
                None
                if self.suggestion_code is None
                else check_suggestion_code(self.suggestion_code)
            ),
        )

    @property
    def is_planned(self) -> bool:
        return self.status is ActionStatus.PLANNED

    def is_late_on(self, day: date) -> bool:
        """ "En retard": planned, not done, and due before `day`."""
        return self.is_planned and self.due_on < day
