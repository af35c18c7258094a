"""What the record of the service's edits holds, and what the edits read from it together with
the shipped catalogues: the entries known (shipped or added, retired or not) and those in use.
The aggregate (`edits.CatalogueEdits`) adds the commands and the events that change it."""

from collections.abc import Iterator

from domain.catalogues.entries import (
    CatalogueAction,
    CatalogueCmrAgent,
    CatalogueOccupation,
    CatalogueQuestion,
    CatalogueRisk,
    CatalogueTheme,
    CatalogueWorkSituation,
    QuestionRef,
    RiskChange,
    ShippedCatalogue,
    same,
    unknown_risk,
)
from domain.errors import RuleViolation
from domain.identifiers import PcsCode
from domain.workforce.health import CmrAgent


class EditedCatalogue:
    added_risks: tuple[CatalogueRisk, ...]
    risk_changes: tuple[RiskChange, ...]
    """The latest change of each risk changed, in the order first changed."""
    retired_risks: tuple[str, ...]
    added_actions: tuple[CatalogueAction, ...]
    added_cmr_agents: tuple[CatalogueCmrAgent, ...]
    retired_cmr_agents: tuple[CmrAgent, ...]
    added_situations: tuple[CatalogueWorkSituation, ...]
    retired_situations: tuple[str, ...]
    added_occupations: tuple[CatalogueOccupation, ...]
    retired_occupations: tuple[PcsCode, ...]
    added_questions: tuple[CatalogueQuestion, ...]
    retired_questions: tuple[QuestionRef, ...]

    # Risks -----------------------------------------------------------------------------------

    def known_risk(self, shipped: ShippedCatalogue, code: str) -> CatalogueRisk | None:
        """The risk of this code, shipped or added, retired or not, as changed last."""
        risk = shipped.risks.get(code) or next(
            (r for r in self.added_risks if r.code == code), None
        )
        if risk is None:
            return None
        change = next((c for c in self.risk_changes if c.code == code), None)
        if change is None:
            return risk
        return CatalogueRisk(code, risk.family_code, change.label, change.description, risk.source)

    def active_risk(self, shipped: ShippedCatalogue, code: str, field: str) -> CatalogueRisk:
        risk = self.known_risk(shipped, code)
        if risk is None:
            raise unknown_risk(code, field)
        if code in self.retired_risks:
            raise RuleViolation(
                f"Le risque « {risk.label} » a été retiré du catalogue.",
                code="RISK_RETIRED",
                field=field,
            )
        return risk

    def active_risks(self, shipped: ShippedCatalogue) -> Iterator[CatalogueRisk]:
        for code in (*shipped.risks, *(r.code for r in self.added_risks)):
            risk = self.known_risk(shipped, code)
            if risk is not None and code not in self.retired_risks:
                yield risk

    def check_unique_risk_label(self, shipped: ShippedCatalogue, label: str, code: str) -> None:
        for risk in self.active_risks(shipped):
            if risk.code != code and same(risk.label, label):
                raise RuleViolation(
                    f"Le libellé « {label} » est déjà celui du risque « {risk.code} ».",
                    code="DUPLICATE_RISK_LABEL",
                    field="label",
                )

    # CMR agents, work situations, occupations ------------------------------------------------

    def known_agents(self, shipped: ShippedCatalogue) -> tuple[CatalogueCmrAgent, ...]:
        return (*shipped.cmr_agents, *self.added_cmr_agents)

    def known_situations(self, shipped: ShippedCatalogue) -> tuple[CatalogueWorkSituation, ...]:
        return (*shipped.situations.values(), *self.added_situations)

    def active_situations(self, shipped: ShippedCatalogue) -> Iterator[CatalogueWorkSituation]:
        for situation in self.known_situations(shipped):
            if situation.code not in self.retired_situations:
                yield situation

    def known_occupations(self, shipped: ShippedCatalogue) -> tuple[CatalogueOccupation, ...]:
        return (*shipped.occupations.values(), *self.added_occupations)

    # Prevention questions --------------------------------------------------------------------

    def known_questions(self, theme: CatalogueTheme) -> dict[str, str]:
        """The label of every question of the theme by id, shipped or added, retired or not."""
        return {
            **theme.questions,
            **{q.question_id: q.label for q in self.added_questions if q.theme_code == theme.code},
        }

    def question_retired(self, theme_code: str, question_id: str) -> bool:
        return QuestionRef(theme_code, question_id) in self.retired_questions
