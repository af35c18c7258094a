"""The service's edits of the catalogues through the application, on both stores: the catalogue in
effect (`Registre.catalogue()`) before and after each kind of edit, read again by another
application; refusals saving nothing; a retried request; an edit that lost a race; the
declaration accepting an added risk and refusing a retired one while keeping the codes it has,
its step 4 asking an added question and no longer a retired one while keeping the answers
given; a snapshot of the record of edits."""

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from application.catalogues.commands import (
    CATALOGUE_EDITS_ID,
    AddCatalogueRisk,
    AddCmrAgent,
    AddPcsOccupation,
    AddPreventionQuestion,
    AddSuggestedAction,
    AddWorkSituation,
    ChangeCatalogueRisk,
    RetireCatalogueRisk,
    RetireCmrAgent,
    RetirePcsOccupation,
    RetirePreventionQuestion,
    RetireWorkSituation,
)
from application.catalogues.loader import default_catalogues
from application.declaration.commands import (
    AddRisk,
    AnswerPrevention,
    CompleteDeclarationStep,
    DeclineRisk,
    OpenCampaign,
    RemoveRisk,
)
from application.members.commands import (
    AddContact,
    AssignInterlocutor,
    ChangeAddress,
    ChangeAdministrativeInformation,
    RegisterMember,
)
from application.registre import Registre
from application.requests import Request
from contexts import AUDIT_TRAIL
from domain.address import Address, Coordinates
from domain.catalogues.edits import CatalogueEdits
from domain.catalogues.model import Question
from domain.catalogues.question_kinds import QuestionKind
from domain.contact_details import Email
from domain.declaration.declaration import Declaration
from domain.declaration.steps import Answer, Step
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.identifiers import PcsCode, Siret
from domain.members.organisation import AddressKind, Contact, Interlocutor
from domain.money import Money
from domain.workforce.follow_up import FollowUp, FollowUpDeterminant
from domain.workforce.health import AgentKind
from projections.audit import AuditTrailQueries
from projections.model import ActiveGenerations
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from storage.settings import StoreSettings

TITANIUM_DIOXIDE = "13463-67-7"
SIRET = Siret("73282932000074")


def by_staff(request_id: str | None = None) -> Request:
    return Request.by(request_id or str(uuid4()), "staff-1")


def add_vibrating_tools(app: Registre, request: Request | None = None) -> None:
    app.handle(
        request or by_staff(),
        AddCatalogueRisk(
            family_code="biomechanical",
            code="vibrating_tools",
            label="Outils vibrants",
            description="Utiliser des outils portatifs vibrants (meuleuses, marteaux-piqueurs…)",
            source="INRS ED 6018",
        ),
    )


def add_welding_fumes(app: Registre) -> None:
    app.handle(
        by_staff(),
        AddWorkSituation(
            code="welding_fumes",
            heading="Être exposé à des fumées",
            label="Exposé(e) aux fumées de soudage",
            determinant=None,
            source="INRS ED 668",
        ),
    )


def add_night_shifts(app: Registre, required: bool = True) -> None:
    """A number question at the end of the theme « Activité de l'entreprise »."""
    app.handle(
        by_staff(),
        AddPreventionQuestion(
            theme_code="activity",
            question_id="night_shifts",
            label="Combien de salariés travaillent de nuit ?",
            kind=QuestionKind.NUMBER,
            required=required,
            choices=[],
            integer=True,
            minimum=0,
            maximum=9999,
            source="Demande du médecin du travail",
        ),
    )


def add_titanium_dioxide(app: Registre) -> None:
    app.handle(
        by_staff(),
        AddCmrAgent(
            kind=AgentKind.SUBSTANCE,
            name="Dioxyde de titane",
            name_en="Titanium dioxide",
            cas_number=TITANIUM_DIOXIDE,
            clp_hazard="Carc. 1B",
            source="Règlement CLP, annexe VI",
        ),
    )


# The catalogue in effect ----------------------------------------------------------------------


def test_without_edits_the_catalogue_is_the_shipped_one(app: Registre) -> None:
    assert app.catalogue() is default_catalogues()
    with pytest.raises(NotFound):
        app.catalogue_edits()


def test_each_edit_shows_in_the_catalogue_and_in_another_application(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    add_vibrating_tools(app)
    app.handle(
        by_staff(),
        ChangeCatalogueRisk(code="noise", label="Bruit", description=None, source="INRS ED 6035"),
    )
    app.handle(
        by_staff(), RetireCatalogueRisk(code="screen_work", source="Couvert par les postures")
    )
    app.handle(
        by_staff(),
        AddSuggestedAction(
            risk_code="vibrating_tools",
            code="vibrating_tools.low",
            label="Outils à faibles vibrations",
            source="INRS",
        ),
    )
    add_titanium_dioxide(app)
    app.handle(
        by_staff(),
        RetireCmrAgent(
            cas_number=None, name="Fabrication d'auramine", source="Plus pratiqué en France"
        ),
    )
    add_welding_fumes(app)
    app.handle(by_staff(), RetireWorkSituation(code="psychosocial", source="Suivis par ailleurs"))
    app.handle(
        by_staff(),
        AddPcsOccupation(
            code="431e", label="Sages-femmes (libérales ou salariées)", source="INSEE"
        ),
    )
    app.handle(by_staff(), RetirePcsOccupation(code="636c", source="Code à vérifier"))
    add_night_shifts(app)
    app.handle(
        by_staff(),
        RetirePreventionQuestion(theme_code="activity", question_id="sites", source="Sans objet"),
    )

    for catalogue in (app.catalogue(), open_app().catalogue()):
        assert catalogue.risk("vibrating_tools").source == "Ajouté par le service : INRS ED 6018"
        assert catalogue.risk("noise").label == "Bruit"
        assert "screen_work" not in [risk.code for risk in catalogue.risks]
        assert [a.code for a in catalogue.suggested_actions("vibrating_tools")] == [
            "vibrating_tools.low"
        ]
        assert [a.name for a in catalogue.search_cmr("dioxyde")] == ["Dioxyde de titane"]
        assert catalogue.search_cmr("auramine") == ()
        assert catalogue.work_situations[-1].code == "welding_fumes"
        assert catalogue.work_situation("welding_fumes").source == (
            "Ajouté par le service : INRS ED 668"
        )
        with pytest.raises(NotFound):
            catalogue.work_situation("psychosocial")
        midwives = catalogue.pcs("431e")
        assert midwives is not None
        assert midwives.label == "Sages-femmes (libérales ou salariées)"
        assert catalogue.pcs("636c") is None
        activity = catalogue.prevention_theme("activity")
        assert activity.questions[-1].id == "night_shifts"
        assert "sites" not in [q.id for q in activity.questions]
        assert catalogue.edit_counts("work_situations.csv").retired == 1
    edits = app.catalogue_edits()
    assert edits.version == 13
    assert [type(e).__name__ for e in app.events.get(CATALOGUE_EDITS_ID)] == [
        "CatalogueEditsStarted",
        "CatalogueRiskAdded",
        "CatalogueRiskChanged",
        "CatalogueRiskRetired",
        "CatalogueSuggestedActionAdded",
        "CatalogueCmrAgentAdded",
        "CatalogueCmrAgentRetired",
        "CatalogueWorkSituationAdded",
        "CatalogueWorkSituationRetired",
        "CataloguePcsOccupationAdded",
        "CataloguePcsOccupationRetired",
        "CataloguePreventionQuestionAdded",
        "CataloguePreventionQuestionRetired",
    ]
    assert edits.retired_occupations == (PcsCode("636c"),)


def test_the_catalogue_is_computed_once_per_version_of_the_edits(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    add_vibrating_tools(app)
    first = app.catalogue()

    assert app.catalogue() is first
    other = open_app()
    app.handle(
        by_staff(), RetireCatalogueRisk(code="noise", source="Fusionné")
    )  # seen by `other` from the store
    assert app.catalogue() is not first
    assert app.catalogue() is app.catalogue()
    assert "noise" not in [risk.code for risk in other.catalogue().risks]


def test_a_refused_edit_saves_nothing(app: Registre) -> None:
    with pytest.raises(NotFound) as unknown:
        app.handle(
            by_staff(),
            AddCatalogueRisk(
                family_code="nautical",
                code="waves",
                label="Vagues",
                description="Houle",
                source="source",
            ),
        )
    assert unknown.value.code == "UNKNOWN_RISK_FAMILY"
    with pytest.raises(InvalidValue) as invalid:
        app.handle(
            by_staff(),
            AddCmrAgent(
                kind=AgentKind.SUBSTANCE,
                name="Dioxyde de titane",
                name_en=None,
                cas_number="107-13-2",
                clp_hazard="Carc. 1B",
                source="CLP",
            ),
        )
    assert invalid.value.code == "INVALID_CAS_NUMBER"

    assert app.catalogue() is default_catalogues()
    assert list(app.events.get(CATALOGUE_EDITS_ID)) == []

    add_titanium_dioxide(app)
    with pytest.raises(RuleViolation) as duplicate:
        add_titanium_dioxide(app)
    assert duplicate.value.code == "DUPLICATE_CAS_NUMBER"
    app.handle(
        by_staff(),
        RetireCmrAgent(cas_number=TITANIUM_DIOXIDE, name=None, source="Ajouté par erreur"),
    )
    with pytest.raises(RuleViolation) as twice:
        app.handle(
            by_staff(),
            RetireCmrAgent(cas_number=TITANIUM_DIOXIDE, name=None, source="Ajouté par erreur"),
        )
    assert twice.value.code == "CMR_AGENT_ALREADY_RETIRED"
    assert app.catalogue_edits().version == 3
    refusals = [
        lambda: app.handle(
            by_staff(),
            AddWorkSituation(
                code="night",
                heading="Travailler de nuit",
                label="De nuit",
                determinant=FollowUpDeterminant.NIGHT_WORK,
                source="s",
            ),
        ),
        lambda: app.handle(by_staff(), RetireWorkSituation(code="inconnue", source="s")),
        lambda: app.handle(
            by_staff(), AddPcsOccupation(code="636c", label="Boulangers", source="s")
        ),
        lambda: app.handle(by_staff(), RetirePcsOccupation(code="99", source="s")),
        lambda: app.handle(
            by_staff(),
            AddPreventionQuestion(
                theme_code="activity",
                question_id="sites",
                label="Sites",
                kind=QuestionKind.TEXT,
                required=True,
                choices=[],
                integer=False,
                minimum=None,
                maximum=None,
                source="s",
            ),
        ),
        lambda: app.handle(
            by_staff(),
            AddPreventionQuestion(
                theme_code="activity",
                question_id="hours",
                label="Heures",
                kind=QuestionKind.CHOICE,
                required=True,
                choices=["Jour"],
                integer=False,
                minimum=None,
                maximum=None,
                source="s",
            ),
        ),
        lambda: app.handle(
            by_staff(),
            RetirePreventionQuestion(theme_code="weather", question_id="sites", source="s"),
        ),
    ]
    codes = []
    for refusal in refusals:
        with pytest.raises((InvalidValue, NotFound, RuleViolation)) as refused:
            refusal()
        codes.append(refused.value.code)
    assert codes == [
        "DUPLICATE_SITUATION_DETERMINANT",
        "UNKNOWN_WORK_SITUATION",
        "DUPLICATE_PCS_CODE",
        "INVALID_PCS_CODE",
        "DUPLICATE_QUESTION_ID",
        "TOO_FEW_CHOICES",
        "UNKNOWN_THEME",
    ]
    assert app.catalogue_edits().version == 3


def test_a_retried_request_is_answered_once(app: Registre) -> None:
    request_id = str(uuid4())
    first = app.handle(by_staff(request_id), RetireCatalogueRisk(code="noise", source="Fusionné"))

    again = app.handle(by_staff(request_id), RetireCatalogueRisk(code="noise", source="Fusionné"))

    assert again == first
    assert app.catalogue_edits().retired_risks == ("noise",)
    with pytest.raises(InvalidValue) as reused:
        app.handle(by_staff(request_id), RetireCatalogueRisk(code="dusts", source="Fusionné"))
    assert reused.value.code == "REQUEST_ID_REUSED"


def test_an_edit_that_lost_a_race_is_decided_again_on_the_new_version(
    app: Registre, open_app: Callable[[], Registre], monkeypatch: pytest.MonkeyPatch
) -> None:
    other = open_app()
    add_vibrating_tools(app)
    app.handle(by_staff(), RetireCatalogueRisk(code="noise", source="Fusionné"))
    loaded: list[int] = []
    real_load = other.load

    def stale_first(aggregate_class: type[Any], aggregate_id: UUID, *args: Any) -> Any:
        """The record as `other` read it before the retirement, then the real one."""
        if aggregate_class is not CatalogueEdits:
            return real_load(aggregate_class, aggregate_id, *args)
        stale = not loaded
        edits = (
            other.repository.get(aggregate_id, version=2)
            if stale
            else real_load(aggregate_class, aggregate_id, *args)
        )
        loaded.append(edits.version)
        return edits

    monkeypatch.setattr(other, "load", stale_first)

    other.handle(
        by_staff(),
        AddSuggestedAction(
            risk_code="vibrating_tools", code="vibrating_tools.a", label="Action", source="s"
        ),
    )

    assert loaded == [2, 3]
    edits = app.catalogue_edits()
    assert edits.version == 4
    assert edits.retired_risks == ("noise",)
    assert [a.code for a in edits.added_actions] == ["vibrating_tools.a"]


def test_the_record_of_edits_is_snapshotted_and_read_back(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    add_vibrating_tools(app)
    add_titanium_dioxide(app)
    app.handle(by_staff(), RetireCmrAgent(cas_number="71-43-2", name=None, source="Interdit"))
    add_welding_fumes(app)
    app.handle(by_staff(), RetirePcsOccupation(code="636c", source="Code à vérifier"))
    add_night_shifts(app)
    app.handle(
        by_staff(),
        RetirePreventionQuestion(theme_code="activity", question_id="sites", source="Sans objet"),
    )
    app.take_snapshot(CATALOGUE_EDITS_ID)

    reader = open_app()
    assert reader.snapshots is not None
    (snapshot,) = reader.snapshots.get(CATALOGUE_EDITS_ID, desc=True, limit=1)
    from_snapshot = snapshot.mutate(None)  # type: ignore[attr-defined]
    assert isinstance(from_snapshot, CatalogueEdits)
    assert vars(from_snapshot) == vars(app.catalogue_edits())
    assert reader.catalogue().search_cmr("13463-67-7")[0].name == "Dioxyde de titane"
    assert reader.catalogue().search_cmr("71-43-2") == ()
    assert reader.catalogue().work_situation("welding_fumes").category_on(date(2026, 6, 1)) is None
    assert reader.catalogue().pcs("636c") is None
    assert reader.catalogue().prevention_theme("activity").questions[-1].id == "night_shifts"


# The declaration ------------------------------------------------------------------------------


def an_answer(question: Question) -> Answer:
    match question.kind:
        case QuestionKind.YES_NO:
            return False
        case QuestionKind.NUMBER:
            return int(question.minimum or 0)
        case QuestionKind.CHOICE:
            return question.choices[0]
        case QuestionKind.MULTI_CHOICE:
            return [question.choices[0]]
        case QuestionKind.TEXT:
            return "Boulangerie artisanale"


def up_to_the_prevention_step(app: Registre, member_id: UUID, year: int) -> None:
    """Steps 1 to 3 of the member's declaration done: its records, its legal representative,
    the workforce reviewed."""
    address = Address(lines=("12 rue des Lilas",), postal_code="21000", city="Dijon")
    worksite = address.confirmed_at(Coordinates(47.32, 5.04))
    app.handle(
        by_staff(), ChangeAddress(member_id=member_id, kind=AddressKind.WORKSITE, address=worksite)
    )
    app.handle(
        by_staff(), ChangeAddress(member_id=member_id, kind=AddressKind.BILLING, address=address)
    )
    app.handle(
        by_staff(),
        ChangeAddress(member_id=member_id, kind=AddressKind.CONVOCATION, address=address),
    )
    record = app.member(member_id)
    app.handle(
        by_staff(),
        ChangeAdministrativeInformation(
            member_id=member_id,
            legal_name=record.legal_name,
            siret=record.siret or SIRET,
            vat_number=None,
            has_cse=False,
        ),
    )
    contact = Contact(0, "Martin", "Claire", "Gérante", email=Email("claire@martin.fr"))
    contact_id = app.handle(by_staff(), AddContact(member_id=member_id, contact=contact)).created_id
    assert contact_id is not None
    app.handle(
        by_staff(),
        AssignInterlocutor(
            member_id=member_id, role=Interlocutor.LEGAL_REPRESENTATIVE, contact_id=contact_id
        ),
    )
    for step in (Step.COMPANY, Step.CONTACTS, Step.WORKFORCE):
        app.handle(
            by_staff(),
            CompleteDeclarationStep(member_id=member_id, year=year, step=step),
        )


def answer_every_required_question(app: Registre, member_id: UUID, year: int) -> None:
    for theme in app.catalogue().prevention_themes:
        answers = {q.id: an_answer(q) for q in theme.questions if q.required}
        app.handle(
            by_staff(),
            AnswerPrevention(
                member_id=member_id,
                year=year,
                theme=theme.code,
                answers=answers,
            ),
        )


def up_to_the_risks_step(app: Registre, member_id: UUID, year: int) -> None:
    """Steps 1 to 4 of the member's declaration done: its records, its legal representative,
    the workforce reviewed, every prevention theme answered."""
    up_to_the_prevention_step(app, member_id, year)
    answer_every_required_question(app, member_id, year)
    app.handle(
        by_staff(),
        CompleteDeclarationStep(member_id=member_id, year=year, step=Step.PREVENTION),
    )


def open_this_years_campaign(app: Registre) -> int:
    year = app.clock.today().year
    app.handle(
        by_staff(),
        OpenCampaign(
            year=year,
            opens_on=date(year, 1, 1),
            deadline=date(year, 12, 31),
            rate_per_capita=Money.euros("79.5"),
            tool_price=Money.euros("150"),
        ),
    )
    return year


def test_the_declaration_accepts_an_added_risk_and_refuses_a_retired_one(app: Registre) -> None:
    year = open_this_years_campaign(app)
    member_id = app.handle(
        by_staff(),
        RegisterMember(member_code="00010", declarant_number="73915284", legal_name="Martin SAS"),
    ).aggregate_id
    up_to_the_risks_step(app, member_id, year)
    app.handle(
        by_staff(),
        AddRisk(member_id=member_id, year=year, risk_code="noise"),
    )
    with pytest.raises(NotFound) as unknown:
        app.handle(
            by_staff(),
            AddRisk(member_id=member_id, year=year, risk_code="vibrating_tools"),
        )
    assert unknown.value.code == "UNKNOWN_RISK"

    add_vibrating_tools(app)
    app.handle(
        by_staff(),
        RetireCatalogueRisk(code="noise", source="Fusionné avec « Vibrations et bruit »"),
    )
    app.handle(
        by_staff(),
        AddRisk(member_id=member_id, year=year, risk_code="vibrating_tools"),
    )

    for command in (AddRisk, DeclineRisk):
        with pytest.raises(NotFound) as retired:
            app.handle(by_staff(), command(member_id=member_id, year=year, risk_code="noise"))
        assert retired.value.code == "UNKNOWN_RISK"
    declaration = app.load(Declaration, Declaration.create_id(member_id, year), NotFound("absente"))
    assert declaration.risks == ("noise", "vibrating_tools"), "the retired code is kept"
    app.handle(
        by_staff(),
        RemoveRisk(member_id=member_id, year=year, risk_code="noise"),
    )


def test_step_4_asks_an_added_question_and_no_longer_a_retired_one(app: Registre) -> None:
    year = open_this_years_campaign(app)
    member_id = app.handle(
        by_staff(),
        RegisterMember(member_code="00010", declarant_number="73915284", legal_name="Martin SAS"),
    ).aggregate_id
    up_to_the_prevention_step(app, member_id, year)
    answer_every_required_question(app, member_id, year)
    add_night_shifts(app)

    with pytest.raises(RuleViolation) as held_up:
        app.handle(
            by_staff(),
            CompleteDeclarationStep(member_id=member_id, year=year, step=Step.PREVENTION),
        )
    assert held_up.value.code == "STEP_INCOMPLETE"
    assert "thème « Activité de l'entreprise » : 1 question(s) sans réponse" in (
        held_up.value.message
    )
    with pytest.raises(InvalidValue) as out_of_range:
        app.handle(
            by_staff(),
            AnswerPrevention(
                member_id=member_id,
                year=year,
                theme="activity",
                answers={"night_shifts": -1},
            ),
        )
    assert out_of_range.value.code == "ANSWER_OUT_OF_RANGE"
    app.handle(
        by_staff(),
        AnswerPrevention(
            member_id=member_id,
            year=year,
            theme="activity",
            answers={"night_shifts": 2.0},
        ),
    )
    app.handle(
        by_staff(),
        CompleteDeclarationStep(member_id=member_id, year=year, step=Step.PREVENTION),
    )

    declaration = app.load(Declaration, Declaration.create_id(member_id, year), NotFound("absente"))
    assert declaration.prevention["activity"]["night_shifts"] == 2
    answered = declaration.prevention["activity"]["sites"]
    app.handle(
        by_staff(),
        RetirePreventionQuestion(theme_code="activity", question_id="sites", source="Sans objet"),
    )
    app.handle(
        by_staff(),
        AnswerPrevention(
            member_id=member_id,
            year=year,
            theme="activity",
            answers={"night_shifts": 3},
        ),
    )
    with pytest.raises(InvalidValue) as retired:
        app.handle(
            by_staff(),
            AnswerPrevention(
                member_id=member_id,
                year=year,
                theme="activity",
                answers={"sites": 2},
            ),
        )
    assert retired.value.code == "UNKNOWN_QUESTION"
    declaration = app.load(Declaration, Declaration.create_id(member_id, year), NotFound("absente"))
    assert declaration.prevention["activity"]["sites"] == answered, "the answer given stays"


def test_a_retired_required_question_no_longer_holds_up_step_4(app: Registre) -> None:
    year = open_this_years_campaign(app)
    member_id = app.handle(
        by_staff(),
        RegisterMember(member_code="00010", declarant_number="73915284", legal_name="Martin SAS"),
    ).aggregate_id
    up_to_the_prevention_step(app, member_id, year)
    app.handle(
        by_staff(),
        RetirePreventionQuestion(theme_code="activity", question_id="sites", source="Sans objet"),
    )
    add_night_shifts(app, required=False)

    answer_every_required_question(app, member_id, year)  # as the catalogue in effect asks them
    app.handle(
        by_staff(),
        CompleteDeclarationStep(member_id=member_id, year=year, step=Step.PREVENTION),
    )

    declaration = app.load(Declaration, Declaration.create_id(member_id, year), NotFound("absente"))
    assert declaration.progress[Step.PREVENTION].completed
    assert "sites" not in declaration.prevention["activity"]
    assert "night_shifts" not in declaration.prevention["activity"], "an optional question"


def test_an_added_situation_is_offered_with_its_category_and_a_retired_one_no_longer(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    app.handle(
        by_staff(), RetireWorkSituation(code="manual_handling_over_55kg", source="Reformulée")
    )
    app.handle(
        by_staff(),
        AddWorkSituation(
            code="heavy_loads",
            heading="manutentionner des charges",
            label="Manutention manuelle habituelle de charges lourdes (plus de 55 kg)",
            determinant=FollowUpDeterminant.MANUAL_HANDLING_OVER_55KG,
            source="Code du travail R4541-9",
        ),
    )

    for catalogue in (app.catalogue(), open_app().catalogue()):
        situation = catalogue.work_situation("heavy_loads")
        category = situation.category_on(date(2026, 6, 1))
        assert (situation.group, situation.determinant, category) == (
            "Manutentionner des charges",
            FollowUpDeterminant.MANUAL_HANDLING_OVER_55KG,
            FollowUp.SIR,
        )
        with pytest.raises(NotFound) as retired:
            catalogue.work_situation("manual_handling_over_55kg")
        assert retired.value.code == "UNKNOWN_WORK_SITUATION"
        codes = [s.code for s in catalogue.work_situations]
        assert codes.index("heavy_loads") == codes.index("scaffolding_assembly") + 1


# The audit trail ------------------------------------------------------------------------------


def test_the_audit_trail_summarises_each_edit_with_its_source(
    app: Registre, store: StoreSettings
) -> None:
    add_vibrating_tools(app)
    app.handle(
        by_staff(),
        ChangeCatalogueRisk(code="noise", label="Bruit", description=None, source="INRS ED 6035"),
    )
    app.handle(by_staff(), RetireCatalogueRisk(code="screen_work", source="Doublon"))
    app.handle(
        by_staff(),
        AddSuggestedAction(
            risk_code="noise", code="noise.screens", label="Écrans acoustiques", source="ED 6035"
        ),
    )
    add_titanium_dioxide(app)
    app.handle(
        by_staff(),
        RetireCmrAgent(cas_number=None, name="Fabrication d'auramine", source="Plus pratiqué"),
    )
    add_welding_fumes(app)
    app.handle(
        by_staff(), RetireWorkSituation(code="manual_handling_over_55kg", source="Reformulée")
    )
    app.handle(
        by_staff(),
        AddWorkSituation(
            code="heavy_loads",
            heading="Manutentionner des charges",
            label="Manutention de charges lourdes",
            determinant=FollowUpDeterminant.MANUAL_HANDLING_OVER_55KG,
            source="R4541-9",
        ),
    )
    app.handle(by_staff(), AddPcsOccupation(code="431e", label="Sages-femmes", source="INSEE"))
    app.handle(by_staff(), RetirePcsOccupation(code="636c", source="Code à vérifier"))
    add_night_shifts(app)
    app.handle(
        by_staff(),
        RetirePreventionQuestion(theme_code="activity", question_id="sites", source="Sans objet"),
    )
    read_store = ReadStore.open(store)
    try:
        runner = ProjectionRunner(app, read_store, [AUDIT_TRAIL])
        runner.setup()
        runner.catch_up()
        queries = AuditTrailQueries(read_store, ActiveGenerations(read_store, refresh_seconds=0))
        entries = queries.entries(aggregate_id=CATALOGUE_EDITS_ID)[::-1]
    finally:
        read_store.close()

    assert {(e.aggregate_type, e.member_id, e.actor) for e in entries} == {
        ("CatalogueEdits", None, "staff-1")
    }
    assert [e.summary for e in entries] == [
        "Première modification des catalogues par le service",
        "Risque ajouté au catalogue : Outils vibrants (vibrating_tools) ; source : INRS ED 6018",
        "Risque noise du catalogue modifié : Bruit ; source : INRS ED 6035",
        "Risque screen_work retiré du catalogue ; source : Doublon",
        "Action suggérée ajoutée au risque noise : Écrans acoustiques ; source : ED 6035",
        "Agent CMR ajouté au catalogue : Dioxyde de titane (13463-67-7) ; source : Règlement CLP,"
        " annexe VI",
        "Agent CMR retiré du catalogue : Fabrication d'auramine ; source : Plus pratiqué",
        "Situation de travail ajoutée au catalogue : Exposé(e) aux fumées de soudage"
        " (welding_fumes), rubrique « Être exposé à des fumées », sans déterminant de suivi ;"
        " source : INRS ED 668",
        "Situation de travail manual_handling_over_55kg retirée du catalogue ; source : Reformulée",
        "Situation de travail ajoutée au catalogue : Manutention de charges lourdes"
        " (heavy_loads), rubrique « Manutentionner des charges », déterminant « Manutention"
        " manuelle habituelle de charges de plus de 55 kg » ; source : R4541-9",
        "Profession PCS-ESE ajoutée au catalogue : 431e Sages-femmes ; source : INSEE",
        "Profession PCS-ESE 636c retirée du catalogue ; source : Code à vérifier",
        "Question obligatoire ajoutée au thème « Activité de l'entreprise » : Combien de"
        " salariés travaillent de nuit ? (night_shifts) ; source : Demande du médecin du travail",
        "Question sites retirée du thème « Activité de l'entreprise » ; source : Sans objet",
    ]
    assert entries[5].changes["agent"]["cas_number"] == TITANIUM_DIOXIDE
    assert entries[10].changes["occupation"] == {
        "code": "431e",
        "label": "Sages-femmes",
        "source": "INSEE",
    }
    assert entries[12].changes["question"]["kind"] == "number"
    assert entries[12].changes["question"]["maximum"] == 9999.0
