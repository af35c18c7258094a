"""What happens to some employees after hiring: exposures, follow-up determinants, exits."""

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.registre import Registre
from application.workforce.commands import (
    CloseContract,
    DeclareDeterminant,
    EndExposure,
    RecordExposure,
    RehireEmployee,
    WithdrawExposure,
)
from cli.demo.bakery import demo_request
from cli.demo.staff import Profile, contract_terms
from domain.identifiers import CasNumber
from domain.workforce.employment import ContractType, ExitReason, Sex
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import AgentKind, CmrAgent, ExposureDegree, ExposureRoute


@dataclass(slots=True)
class Hire:
    employee_id: UUID
    profile: Profile
    hire_date: date
    sex: Sex


@dataclass(slots=True)
class Stories:
    """Tells the story of a profile (`Profile.story`) with the commands of `Registre`."""

    app: Registre
    rng: random.Random
    today: date

    def tell(self, hire: Hire) -> None:
        if hire.profile.job.night_work:
            self._determinant(
                hire,
                FollowUpDeterminant.NIGHT_WORK,
                hire.hire_date,
                "Travail au fournil de 3 h à 10 h.",
            )
        story = hire.profile.story
        if story is not None:
            getattr(self, f"_story_{story}")(hire)

    def _determinant(
        self, hire: Hire, determinant: FollowUpDeterminant, started_on: date, note: str
    ) -> None:
        self.app.handle(
            demo_request(),
            DeclareDeterminant(
                employee_id=hire.employee_id,
                determinant=determinant,
                started_on=started_on,
                note=note,
            ),
        )

    def _exposure(self, hire: Hire, agent: CmrAgent, **details: Any) -> int:
        result = self.app.handle(
            demo_request(),
            RecordExposure(
                employee_id=hire.employee_id, agent=agent, started_on=hire.hire_date, **details
            ),
        )
        assert result.created_id is not None
        return result.created_id

    def _cmr_follow_up(self, hire: Hire) -> None:
        self._determinant(
            hire,
            FollowUpDeterminant.CMR_AGENTS,
            hire.hire_date,
            "Exposition CMR inscrite à la liste des travailleurs exposés.",
        )

    def _story_fuel(self, hire: Hire) -> None:
        self._exposure(
            hire,
            CmrAgent(AgentKind.SUBSTANCE, "Benzène", CasNumber("71-43-2")),
            routes=(ExposureRoute.INHALATION, ExposureRoute.SKIN),
            hours_per_week=Decimal("2"),
            degree=ExposureDegree.LOW,
            comment="Appoint de carburant et vidange des utilitaires de livraison.",
        )
        diesel = self._exposure(
            hire,
            CmrAgent(AgentKind.PROCESS, "Travaux exposant aux émissions d'échappement diesel"),
            routes=(ExposureRoute.INHALATION,),
            hours_per_week=Decimal("6"),
            degree=ExposureDegree.MODERATE,
            comment="Entretien moteur tournant à l'atelier.",
        )
        last_day = self.today - timedelta(days=self.rng.randint(60, 200))
        self.app.handle(
            demo_request(),
            EndExposure(employee_id=hire.employee_id, exposure_id=diesel, last_day=last_day),
        )
        self._cmr_follow_up(hire)

    def _story_cleaning(self, hire: Hire) -> None:
        self._exposure(
            hire,
            CmrAgent(AgentKind.SUBSTANCE, "Formaldéhyde", CasNumber("50-00-0")),
            routes=(ExposureRoute.INHALATION, ExposureRoute.SKIN),
            hours_per_week=Decimal("3"),
            degree=ExposureDegree.LOW,
            comment="Désinfectant de surfaces utilisé au laboratoire de pâtisserie.",
        )
        self._cmr_follow_up(hire)

    def _story_wood(self, hire: Hire) -> None:
        self._exposure(
            hire,
            CmrAgent(AgentKind.PROCESS, "Travaux exposant aux poussières de bois inhalables"),
            routes=(ExposureRoute.INHALATION,),
            hours_per_week=Decimal("5"),
            degree=ExposureDegree.MODERATE,
            comment="Fabrication et réparation des présentoirs en chêne des boutiques.",
        )
        self._cmr_follow_up(hire)

    def _story_mistake(self, hire: Hire) -> None:
        agent = CmrAgent(AgentKind.SUBSTANCE, "Formaldéhyde", CasNumber("50-00-0"))
        exposure_id = self._exposure(hire, agent, routes=(ExposureRoute.SKIN,))
        self.app.handle(
            demo_request(),
            WithdrawExposure(
                employee_id=hire.employee_id,
                exposure_id=exposure_id,
                error_note="Saisie par erreur : exposition déclarée sur la mauvaise salariée.",
            ),
        )

    def _story_pregnant(self, hire: Hire) -> None:
        started_on = self.today - timedelta(days=self.rng.randint(60, 150))
        self._determinant(
            hire, FollowUpDeterminant.PREGNANCY, started_on, "Grossesse déclarée à l'employeur."
        )

    def _story_driving(self, hire: Hire) -> None:
        self._determinant(
            hire,
            FollowUpDeterminant.DRIVING_AUTHORISATION,
            hire.hire_date,
            "CACES R489 cat. 3 : chariot élévateur au quai de chargement.",
        )

    def _story_disabled(self, hire: Hire) -> None:
        self._determinant(
            hire,
            FollowUpDeterminant.DISABLED_WORKER,
            hire.hire_date,
            "Reconnaissance de la qualité de travailleur handicapé (RQTH).",
        )

    def _story_resigned(self, hire: Hire) -> None:
        self._close(hire, ExitReason.RESIGNATION, (30, 300))

    def _story_agreed_exit(self, hire: Hire) -> None:
        self._close(hire, ExitReason.CONVENTIONAL_TERMINATION, (30, 300))

    def _story_retired(self, hire: Hire) -> None:
        self._close(hire, ExitReason.RETIREMENT, (10, 120))

    def _close(self, hire: Hire, reason: ExitReason, days_ago: tuple[int, int]) -> date:
        last_day = max(hire.hire_date, self.today - timedelta(days=self.rng.randint(*days_ago)))
        self.app.handle(
            demo_request(),
            CloseContract(employee_id=hire.employee_id, last_day=last_day, reason=reason),
        )
        return last_day

    def _story_rehired(self, hire: Hire) -> None:
        """A seasonal saleswoman: her summer CDD ended last year, she is back on a CDI."""
        planned_end = hire.profile.ends_in or 0
        self.app.handle(
            demo_request(),
            CloseContract(
                employee_id=hire.employee_id,
                last_day=self.today + timedelta(days=planned_end),
                reason=ExitReason.END_OF_FIXED_TERM,
            ),
        )
        rehired_on = self.today - timedelta(days=self.rng.randint(60, 150))
        permanent = replace(hire.profile, contract=ContractType.CDI)
        self.app.handle(
            demo_request(),
            RehireEmployee(
                employee_id=hire.employee_id,
                hire_date=rehired_on,
                terms=contract_terms(permanent, hire.sex, rehired_on, self.today),
            ),
        )
