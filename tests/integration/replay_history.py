"""A member's history corrected afterwards, for the replay's tests: four employees hired on
15 January 2024 (recorded on the 10th); on 5 February Alice's trichloroethylene exposure is
recorded from the wrong day, withdrawn and recorded again on the 6th; her HAP exposure ends on
29 February, when Bob (CDD, night work) leaves; her contract is amended from 1 April; on 10
April Chloé's identity is corrected (an earlier birth date: she turns 18 sooner) and Denise's
(exposed to benzene) erased."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from application.members.commands import RegisterMember
from application.registre import Registre
from application.requests import Request
from application.workforce.commands import (
    AmendContract,
    CloseContract,
    CorrectIdentity,
    DeclareDeterminant,
    EndExposure,
    EraseIdentity,
    HireEmployee,
    RecordExposure,
    WithdrawExposure,
)
from domain.calendar import PARIS, SetClock
from domain.identifiers import CasNumber
from domain.workforce.employment import ContractTerms, ContractType, ExitReason, Identity, Sex
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import AgentKind, CmrAgent, ExposureDegree, ExposureRoute

MEMBER_CODE = "00042"
TRICHLORO = CmrAgent(AgentKind.SUBSTANCE, "Trichloréthylène", CasNumber("79-01-6"))
BENZENE = CmrAgent(AgentKind.SUBSTANCE, "Benzène", CasNumber("71-43-2"))
HAP = CmrAgent(AgentKind.PROCESS, "Travaux exposant aux HAP")
WELDER = ContractTerms("Soudeuse", ContractType.CDI)


def paris(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=PARIS)


START = paris(2024, 1, 10)


@dataclass(frozen=True)
class History:
    member_id: UUID
    alice: UUID
    bob: UUID
    chloe: UUID
    denise: UUID
    between: datetime
    """An instant of the day the exposure was corrected: after its withdrawal, before the new
    recording."""


def send(app: Registre, command: Any) -> Any:
    return app.handle(Request.by(str(uuid4()), "user-1"), command)


def hire(app: Registre, member_id: UUID, identity: Identity, **terms: Any) -> UUID:
    contract = ContractTerms(**{"job_title": "Soudeuse", "contract_type": ContractType.CDI} | terms)
    hired = HireEmployee(
        member_id=member_id, identity=identity, hire_date=date(2024, 1, 15), terms=contract
    )
    result: UUID = send(app, hired).aggregate_id
    return result


def record_history(app: Registre, clock: SetClock) -> History:
    """Recorded from 10 January to 10 April 2024; the clock is left on 1 May 2024."""
    clock.set(START)
    member_id = send(
        app,
        RegisterMember(
            member_code=MEMBER_CODE, declarant_number="12345678", legal_name="Soudures Martin"
        ),
    ).aggregate_id
    alice = hire(app, member_id, Identity("Kowalczyk", "Alice", date(1990, 5, 12), Sex.F))
    bob = hire(
        app,
        member_id,
        Identity("Bernard", "Bob", date(1985, 3, 2), Sex.M),
        contract_type=ContractType.CDD,
        planned_end=date(2024, 12, 31),
    )
    chloe = hire(app, member_id, Identity("Chevalier", "Chloé", date(2007, 2, 20), Sex.F))
    denise = hire(app, member_id, Identity("Dubois", "Denise", date(1970, 8, 1), Sex.F))

    clock.set(paris(2024, 2, 5))
    wrong = send(
        app, RecordExposure(employee_id=alice, agent=TRICHLORO, started_on=date(2024, 2, 1))
    ).created_id
    send(app, RecordExposure(employee_id=alice, agent=HAP, started_on=date(2024, 1, 20)))
    send(
        app,
        DeclareDeterminant(
            employee_id=bob,
            determinant=FollowUpDeterminant.NIGHT_WORK,
            started_on=date(2024, 2, 1),
        ),
    )
    send(app, RecordExposure(employee_id=denise, agent=BENZENE, started_on=date(2024, 1, 15)))

    clock.set(paris(2024, 2, 6))
    send(app, WithdrawExposure(employee_id=alice, exposure_id=wrong, error_note="Mauvaise date"))
    clock.advance(minutes=5)
    between = clock.now()
    clock.advance(minutes=5)
    send(
        app,
        RecordExposure(
            employee_id=alice,
            agent=TRICHLORO,
            started_on=date(2024, 1, 22),
            routes=(ExposureRoute.INHALATION, ExposureRoute.SKIN),
            hours_per_week=Decimal("12.5"),
            degree=ExposureDegree.HIGH,
            comment="Dégraissage des pièces",
        ),
    )

    clock.set(paris(2024, 3, 1))
    send(app, CloseContract(employee_id=bob, last_day=date(2024, 2, 29), reason=ExitReason.OTHER))
    hap = 2
    send(app, EndExposure(employee_id=alice, exposure_id=hap, last_day=date(2024, 2, 29)))

    clock.set(paris(2024, 4, 2))
    amended = ContractTerms("Cheffe d'équipe", ContractType.CDI, pcs_code="621a")
    send(app, AmendContract(employee_id=alice, terms=amended, effective_on=date(2024, 4, 1)))

    clock.set(paris(2024, 4, 10))
    corrected = Identity("Chevalier", "Chloé", date(2006, 2, 20), Sex.F, usage_name="Morel")
    send(app, CorrectIdentity(employee_id=chloe, identity=corrected))
    send(app, EraseIdentity(employee_id=denise))
    clock.set(paris(2024, 5, 1))
    return History(member_id, alice, bob, chloe, denise, between)
