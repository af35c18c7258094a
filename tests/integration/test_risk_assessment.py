"""The risk assessment (DUERP) through the Registre application, on both stores: saving,
retries, optimistic concurrency, members' reach, and published versions read back intact.

The round trip of every event class, with exact types, is in `test_event_round_trip`.
"""

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from application.members.commands import RegisterMember, TerminateMembership
from application.registre import Registre
from application.requests import CommandResult, Request
from application.risk_assessment.commands import (
    AddRiskToWorkUnit,
    AssignEmployeesToWorkUnit,
    CreateWorkUnit,
    EvaluateRisk,
    MarkPreventionActionDone,
    PlanPreventionAction,
    PublishRiskAssessment,
    RecordExistingRiskAssessmentDocument,
    RemoveRiskFromWorkUnit,
    RenameWorkUnit,
)
from application.workforce.commands import HireEmployee
from domain.errors import Conflict, NotFound, RuleViolation
from domain.members.member import Member
from domain.risk_assessment.action_plan import ActionScope, ActionStatus
from domain.risk_assessment.assessment import RiskAssessment, risk_assessment_id
from domain.risk_assessment.publication import content_hash
from domain.risk_assessment.rating import Priority
from domain.workforce.employment import ContractTerms, ContractType, Identity, Sex

HANDLING = "MANUTENTION_CHARGES"
NIGHT_WORK = "TRAVAIL_DE_NUIT"
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


# Helpers ------------------------------------------------------------------------------------


def a_request(
    user: str = "user-1",
    *,
    on_behalf_of: UUID | None = None,
    expected_version: int | None = None,
) -> Request:
    return Request.by(
        str(uuid4()), user, on_behalf_of=on_behalf_of, expected_version=expected_version
    )


def a_member(app: Registre, member_code: str = "00010") -> UUID:
    return app.handle(
        a_request(),
        RegisterMember(
            member_code=member_code, declarant_number="73915284", legal_name="Martin SAS"
        ),
    ).aggregate_id


def hire(app: Registre, member_id: UUID, first_name: str = "Marie") -> UUID:
    return app.handle(
        a_request(),
        HireEmployee(
            member_id=member_id,
            identity=Identity("Durand", first_name, date(1990, 5, 12), Sex.F),
            hire_date=date(2024, 1, 15),
            terms=ContractTerms("Boulangère", ContractType.CDI),
        ),
    ).aggregate_id


def topics(app: Registre) -> list[str]:
    notifications = app.recorder.select_notifications(start=1, limit=1000)
    return [n.topic.rpartition(":")[2] for n in notifications]


def a_workshop(
    app: Registre, member_id: UUID, request: Request | None = None, baker: UUID | None = None
) -> CommandResult:
    return app.handle(
        request or a_request(),
        CreateWorkUnit(
            member_id=member_id,
            name="Fournil",
            employee_ids=(baker or hire(app, member_id),),
            risk_codes=(HANDLING, NIGHT_WORK),
        ),
    )


def evaluate_all(app: Registre, member_id: UUID) -> None:
    app.handle(
        a_request(),
        EvaluateRisk(
            member_id=member_id,
            unit_id=1,
            risk_code=HANDLING,
            severity=4,
            probability=3,
            description="Sacs de farine de 25 kg",
            existing_measures="Diable",
        ),
    )
    app.handle(
        a_request(),
        EvaluateRisk(
            member_id=member_id,
            unit_id=1,
            risk_code=NIGHT_WORK,
            severity=2,
            probability=2,
            description="Cuisson de nuit",
        ),
    )


def plan_training(app: Registre, member_id: UUID) -> int:
    action_id = app.handle(
        a_request(),
        PlanPreventionAction(
            member_id=member_id,
            scope=ActionScope.MAJOR_RISKS,
            title="Former à la manutention",
            due_on=date(2025, 3, 31),
            owner="Employeur",
            risk_code=HANDLING,
            unit_ids=(1,),
        ),
    ).created_id
    assert action_id is not None
    return action_id


# Saving -----------------------------------------------------------------------------------------


def test_the_first_change_starts_the_members_assessment(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    member_id = a_member(app)

    result = a_workshop(app, member_id)

    assessment_id = risk_assessment_id(member_id)
    assert result == CommandResult(assessment_id, 2, 1)
    assert topics(app)[-2:] == [
        "RiskAssessment.RiskAssessmentStarted",
        "RiskAssessment.WorkUnitCreated",
    ]
    loaded = open_app().risk_assessment(member_id)
    assert loaded.id == assessment_id
    assert loaded.owning_member == member_id
    assert loaded.work_unit(1).risk_codes == (HANDLING, NIGHT_WORK)


def test_the_assessment_is_saved_and_read_back_by_another_instance(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    member_id = a_member(app)
    a_workshop(app, member_id)
    evaluate_all(app, member_id)
    action_id = plan_training(app, member_id)
    app.handle(
        a_request(),
        MarkPreventionActionDone(
            member_id=member_id, action_id=action_id, done_on=date(2025, 2, 1)
        ),
    )

    loaded = open_app().risk_assessment(member_id)

    assert loaded.evaluation(1, HANDLING).priority is Priority.I
    assert loaded.evaluation(1, NIGHT_WORK).priority is Priority.III
    assert loaded.action(action_id).status is ActionStatus.DONE
    assert loaded.action(action_id).done_on == date(2025, 2, 1)
    assert loaded.late_actions(date(2026, 1, 1)) == ()
    assert loaded.version == 6


def test_a_member_who_skips_the_tool_records_its_own_document(app: Registre) -> None:
    member_id = a_member(app)

    result = app.handle(
        a_request(),
        RecordExistingRiskAssessmentDocument(
            member_id=member_id,
            file_name="DUERP 2025.pdf",
            media_type="application/pdf",
            size=482_113,
            sha256=SHA,
            recorded_on=date(2025, 2, 3),
        ),
    )

    assert result.created_id == 1
    (document,) = app.risk_assessment(member_id).documents
    assert (document.file_name, document.sha256, document.size) == ("DUERP 2025.pdf", SHA, 482_113)
    assert topics(app)[-1] == "RiskAssessment.ExistingDocumentRecorded"


def test_an_assessment_not_started_is_not_found(app: Registre) -> None:
    member_id = a_member(app)

    with pytest.raises(NotFound) as refused:
        app.risk_assessment(member_id)

    assert refused.value.code == "RISK_ASSESSMENT_NOT_FOUND"


def test_a_change_for_an_unknown_member_is_refused(app: Registre) -> None:
    with pytest.raises(NotFound) as refused:
        app.handle(a_request(), CreateWorkUnit(member_id=Member.create_id("99999"), name="Fournil"))

    assert refused.value.code == "MEMBER_NOT_FOUND"
    assert topics(app) == []


def test_a_terminated_member_cannot_change_its_assessment(app: Registre) -> None:
    member_id = a_member(app)
    a_workshop(app, member_id)
    app.handle(
        a_request(),
        TerminateMembership(
            member_id=member_id, reason="Cessation d'activité", effective_on=date(2025, 1, 1)
        ),
    )

    with pytest.raises(RuleViolation) as refused:
        app.handle(a_request(), RenameWorkUnit(member_id=member_id, unit_id=1, name="Atelier"))

    assert refused.value.code == "MEMBERSHIP_TERMINATED"


def test_a_refused_change_saves_nothing_not_even_the_start(app: Registre) -> None:
    member_id = a_member(app)

    with pytest.raises(RuleViolation) as refused:
        app.handle(
            a_request(), PublishRiskAssessment(member_id=member_id, published_on=date(2025, 1, 15))
        )

    assert refused.value.code == "NO_WORK_UNIT"
    assert "RiskAssessment.RiskAssessmentStarted" not in topics(app)


def test_only_the_members_own_employees_go_in_its_units(app: Registre) -> None:
    member_id = a_member(app)
    other_member = a_member(app, "00011")
    outsider = hire(app, other_member, "Zoé")
    a_workshop(app, member_id)

    for employee_ids in ((outsider,), (uuid4(),)):
        with pytest.raises(NotFound) as refused:
            app.handle(
                a_request(),
                AssignEmployeesToWorkUnit(
                    member_id=member_id, unit_id=1, employee_ids=employee_ids
                ),
            )
        assert refused.value.code == "EMPLOYEE_NOT_FOUND"
    with pytest.raises(NotFound):
        app.handle(
            a_request(),
            CreateWorkUnit(member_id=member_id, name="Boutique", employee_ids=(outsider,)),
        )

    assert [u.name for u in app.risk_assessment(member_id).units] == ["Fournil"]


# Retries and optimistic concurrency ----------------------------------------------------------


def test_a_retried_command_returns_the_first_result_and_writes_once(app: Registre) -> None:
    member_id = a_member(app)
    request = a_request()

    first = a_workshop(app, member_id, request)
    again = app.handle(
        request,
        CreateWorkUnit(
            member_id=member_id,
            name="Fournil",
            employee_ids=app.risk_assessment(member_id).work_unit(1).employee_ids,
            risk_codes=(HANDLING, NIGHT_WORK),
        ),
    )

    assert again == first
    assert topics(app).count("RiskAssessment.WorkUnitCreated") == 1


def test_a_change_from_a_stale_form_is_refused_with_the_current_version(app: Registre) -> None:
    member_id = a_member(app)
    a_workshop(app, member_id)
    app.handle(
        a_request(), AddRiskToWorkUnit(member_id=member_id, unit_id=1, risk_code="AMBIANCE_SONORE")
    )

    with pytest.raises(Conflict) as refused:
        app.handle(
            a_request(expected_version=2),
            RenameWorkUnit(member_id=member_id, unit_id=1, name="Atelier"),
        )

    assert refused.value.current_version == 3
    assert app.risk_assessment(member_id).work_unit(1).name == "Fournil"
    result = app.handle(
        a_request(expected_version=3),
        RenameWorkUnit(member_id=member_id, unit_id=1, name="Atelier"),
    )
    assert result.version == 4


def test_a_form_built_before_the_start_expects_version_0(app: Registre) -> None:
    member_id = a_member(app)
    baker = hire(app, member_id)

    with pytest.raises(Conflict) as refused:
        a_workshop(app, member_id, a_request(expected_version=3), baker)
    assert refused.value.current_version == 0

    assert a_workshop(app, member_id, a_request(expected_version=0), baker).version == 2


def test_of_two_instances_starting_the_assessment_the_second_gets_a_conflict(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    member_id = a_member(app)
    other = open_app()
    app.handle(
        a_request("user-1", expected_version=0), CreateWorkUnit(member_id=member_id, name="Fournil")
    )

    with pytest.raises(Conflict) as refused:
        other.handle(
            a_request("user-2", expected_version=0),
            CreateWorkUnit(member_id=member_id, name="Boutique"),
        )

    assert refused.value.current_version == 2
    assert [u.name for u in open_app().risk_assessment(member_id).units] == ["Fournil"]


def test_two_commands_racing_on_the_assessment_cannot_both_be_saved(
    app: Registre, open_app: Callable[[], Registre], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No expected version: the second command loaded the assessment before the first saved."""
    member_id = a_member(app)
    a_workshop(app, member_id)
    racer = open_app()
    assessment_id = risk_assessment_id(member_id)
    stale = racer.repository.get(assessment_id)
    get = racer.repository.get

    def stale_assessment(aggregate_id: UUID, **kwargs: Any) -> Any:
        return stale if aggregate_id == assessment_id else get(aggregate_id, **kwargs)

    monkeypatch.setattr(racer.repository, "get", stale_assessment)
    app.handle(
        a_request("user-1"),
        AddRiskToWorkUnit(member_id=member_id, unit_id=1, risk_code="AMBIANCE_SONORE"),
    )

    with pytest.raises(Conflict) as refused:
        racer.handle(
            a_request("user-2"),
            AddRiskToWorkUnit(member_id=member_id, unit_id=1, risk_code="BRUIT"),
        )

    assert refused.value.current_version == 3
    assert app.risk_assessment(member_id).work_unit(1).risk_codes[-1] == "AMBIANCE_SONORE"


# Reach ----------------------------------------------------------------------------------------


def test_a_members_user_reaches_its_own_assessment(app: Registre) -> None:
    member_id = a_member(app)

    result = app.handle(
        a_request("accountant-1", on_behalf_of=member_id),
        CreateWorkUnit(member_id=member_id, name="Fournil"),
    )

    assessment = app.risk_assessment(member_id, a_request(on_behalf_of=member_id).actor)
    assert assessment.version == result.version == 2


@pytest.mark.parametrize("started", [True, False])
def test_another_members_assessment_is_not_found(app: Registre, started: bool) -> None:
    member_id = a_member(app)
    intruder = a_member(app, "00011")
    if started:
        a_workshop(app, member_id)
    before = topics(app)
    by_intruder = a_request("user-9", on_behalf_of=intruder)

    with pytest.raises(NotFound) as read:
        app.risk_assessment(member_id, by_intruder.actor)
    with pytest.raises(NotFound) as changed:
        app.handle(by_intruder, CreateWorkUnit(member_id=member_id, name="Piratage"))
    with pytest.raises(NotFound) as versioned:
        app.risk_assessment_version(member_id, 1, by_intruder.actor)

    assert read.value.code == versioned.value.code == "RISK_ASSESSMENT_NOT_FOUND"
    assert changed.value.code == "MEMBER_NOT_FOUND"  # the same, started or not
    assert topics(app) == before


def test_the_service_reaches_every_assessment(app: Registre) -> None:
    member_id = a_member(app)
    a_workshop(app, member_id, a_request("user-1", on_behalf_of=member_id))

    assert app.risk_assessment(member_id, a_request("staff-1").actor).units[0].name == "Fournil"


# Published versions ----------------------------------------------------------------------------


def publish_twice(app: Registre, member_id: UUID) -> RiskAssessment:
    a_workshop(app, member_id)
    evaluate_all(app, member_id)
    action_id = plan_training(app, member_id)
    first = app.handle(
        a_request(), PublishRiskAssessment(member_id=member_id, published_on=date(2025, 1, 15))
    )
    assert first.created_id == 1
    app.handle(
        a_request(),
        MarkPreventionActionDone(
            member_id=member_id, action_id=action_id, done_on=date(2025, 3, 1)
        ),
    )
    app.handle(
        a_request(), RemoveRiskFromWorkUnit(member_id=member_id, unit_id=1, risk_code=NIGHT_WORK)
    )
    second = app.handle(
        a_request(), PublishRiskAssessment(member_id=member_id, published_on=date(2026, 1, 12))
    )
    assert second.created_id == 2
    return app.risk_assessment(member_id)


def test_every_published_version_reads_back_intact(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    member_id = a_member(app)
    written = publish_twice(app, member_id)

    reader = open_app()
    first = reader.risk_assessment_version(member_id, 1)
    second = reader.risk_assessment_version(member_id, 2)

    assert (first, second) == written.published_versions
    assert first.is_intact
    assert second.is_intact
    assert first.content_hash != second.content_hash
    assert [e.risk_code for e in first.content.evaluations] == [HANDLING, NIGHT_WORK]
    assert [e.risk_code for e in second.content.evaluations] == [HANDLING]
    assert first.content.actions[0].status is ActionStatus.PLANNED
    with pytest.raises(NotFound) as refused:
        reader.risk_assessment_version(member_id, 3)
    assert refused.value.code == "VERSION_NOT_FOUND"


def test_published_versions_read_back_intact_from_a_snapshot(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    member_id = a_member(app)
    written = publish_twice(app, member_id)
    app.take_snapshot(risk_assessment_id(member_id))

    reader = open_app()
    assert reader.snapshots is not None
    (snapshot,) = reader.snapshots.get(risk_assessment_id(member_id), desc=True, limit=1)
    from_snapshot: RiskAssessment = snapshot.mutate(None)  # type: ignore[attr-defined]

    assert from_snapshot.published_versions == written.published_versions
    assert all(v.is_intact for v in from_snapshot.published_versions)
    assert content_hash(from_snapshot.content) == content_hash(written.content)
