"""The service's edits of the catalogues through the application, on both stores: the catalogue in
effect (`Registre.catalogue()`) before and after each kind of edit, read again by another
application; refusals saving nothing; a retried request; an edit that lost a race; the
declaration accepting an added risk and refusing a retired one while keeping the codes it has;
a snapshot of the record of edits."""

from collections.abc import Callable
from datetime import date
from uuid import UUID, uuid4

import pytest

from application.catalogue_edits import CATALOGUE_EDITS_ID
from application.registre import Registre
from application.requests import Request
from catalogues import Answer, Question, QuestionKind, default_catalogues
from domain.address import Address, Coordinates
from domain.catalogue_edits import CatalogueEdits
from domain.contact_details import Email
from domain.declaration import Declaration, Step
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.health import AgentKind
from domain.identifiers import Siret
from domain.money import Money
from domain.organisation import AddressKind, Contact, Interlocutor
from projections.audit import AuditTrail, AuditTrailQueries
from projections.model import ActiveGenerations
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from projections.timeline import paris_today
from storage.settings import StoreSettings

ACRYLONITRILE = "107-13-1"
SIRET = Siret("73282932000074")


def by_staff(request_id: str | None = None) -> Request:
    return Request.by(request_id or str(uuid4()), "staff-1")


def add_vibrating_tools(app: Registre, request: Request | None = None) -> None:
    app.add_catalogue_risk(
        request or by_staff(),
        "biomechanical",
        "vibrating_tools",
        "Outils vibrants",
        "Utiliser des outils portatifs vibrants (meuleuses, marteaux-piqueurs…)",
        "INRS ED 6018",
    )


def add_acrylonitrile(app: Registre) -> None:
    app.add_cmr_agent(
        by_staff(),
        AgentKind.SUBSTANCE,
        "Acrylonitrile",
        "Acrylonitrile",
        ACRYLONITRILE,
        "Carc. 1B",
        "Règlement CLP, annexe VI",
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
    app.change_catalogue_risk(by_staff(), "noise", "Bruit", None, "INRS ED 6035")
    app.retire_catalogue_risk(by_staff(), "screen_work", "Couvert par les postures")
    app.add_suggested_action(
        by_staff(), "vibrating_tools", "vibrating_tools.low", "Outils à faibles vibrations", "INRS"
    )
    add_acrylonitrile(app)
    app.retire_cmr_agent(by_staff(), None, "Fabrication d'auramine", "Plus pratiqué en France")

    for catalogue in (app.catalogue(), open_app().catalogue()):
        assert catalogue.risk("vibrating_tools").source == "Ajouté par le service : INRS ED 6018"
        assert catalogue.risk("noise").label == "Bruit"
        assert "screen_work" not in [risk.code for risk in catalogue.risks]
        assert [a.code for a in catalogue.suggested_actions("vibrating_tools")] == [
            "vibrating_tools.low"
        ]
        assert [a.name for a in catalogue.search_cmr("acrylo")] == ["Acrylonitrile"]
        assert catalogue.search_cmr("auramine") == ()
    edits = app.catalogue_edits()
    assert edits.version == 7
    assert [type(e).__name__ for e in app.events.get(CATALOGUE_EDITS_ID)] == [
        "CatalogueEditsStarted",
        "CatalogueRiskAdded",
        "CatalogueRiskChanged",
        "CatalogueRiskRetired",
        "CatalogueSuggestedActionAdded",
        "CatalogueCmrAgentAdded",
        "CatalogueCmrAgentRetired",
    ]


def test_the_catalogue_is_computed_once_per_version_of_the_edits(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    add_vibrating_tools(app)
    first = app.catalogue()

    assert app.catalogue() is first
    other = open_app()
    app.retire_catalogue_risk(by_staff(), "noise", "Fusionné")  # seen by `other` from the store
    assert app.catalogue() is not first
    assert app.catalogue() is app.catalogue()
    assert "noise" not in [risk.code for risk in other.catalogue().risks]


def test_a_refused_edit_saves_nothing(app: Registre) -> None:
    with pytest.raises(NotFound) as unknown:
        app.add_catalogue_risk(by_staff(), "nautical", "waves", "Vagues", "Houle", "source")
    assert unknown.value.code == "UNKNOWN_RISK_FAMILY"
    with pytest.raises(InvalidValue) as invalid:
        app.add_cmr_agent(
            by_staff(), AgentKind.SUBSTANCE, "Acrylonitrile", None, "107-13-2", "Carc. 1B", "CLP"
        )
    assert invalid.value.code == "INVALID_CAS_NUMBER"

    assert app.catalogue() is default_catalogues()
    assert list(app.events.get(CATALOGUE_EDITS_ID)) == []

    add_acrylonitrile(app)
    with pytest.raises(RuleViolation) as duplicate:
        add_acrylonitrile(app)
    assert duplicate.value.code == "DUPLICATE_CAS_NUMBER"
    app.retire_cmr_agent(by_staff(), ACRYLONITRILE, None, "Ajouté par erreur")
    with pytest.raises(RuleViolation) as twice:
        app.retire_cmr_agent(by_staff(), ACRYLONITRILE, None, "Ajouté par erreur")
    assert twice.value.code == "CMR_AGENT_ALREADY_RETIRED"
    assert app.catalogue_edits().version == 3


def test_a_retried_request_is_answered_once(app: Registre) -> None:
    request_id = str(uuid4())
    first = app.retire_catalogue_risk(by_staff(request_id), "noise", "Fusionné")

    again = app.retire_catalogue_risk(by_staff(request_id), "noise", "Fusionné")

    assert again == first
    assert app.catalogue_edits().retired_risks == ("noise",)
    with pytest.raises(InvalidValue) as reused:
        app.retire_catalogue_risk(by_staff(request_id), "dusts", "Fusionné")
    assert reused.value.code == "REQUEST_ID_REUSED"


def test_an_edit_that_lost_a_race_is_decided_again_on_the_new_version(
    app: Registre, open_app: Callable[[], Registre], monkeypatch: pytest.MonkeyPatch
) -> None:
    other = open_app()
    add_vibrating_tools(app)
    app.retire_catalogue_risk(by_staff(), "noise", "Fusionné")
    loaded: list[int] = []

    def stale_first(
        real: Callable[[], CatalogueEdits] = other.catalogue_edits,
    ) -> CatalogueEdits:
        """The record as `other` read it before the retirement, then the real one."""
        edits = other.repository.get(CATALOGUE_EDITS_ID, version=2) if not loaded else real()
        loaded.append(edits.version)
        return edits

    monkeypatch.setattr(other, "catalogue_edits", stale_first)

    other.add_suggested_action(by_staff(), "vibrating_tools", "vibrating_tools.a", "Action", "s")

    assert loaded == [2, 3]
    edits = app.catalogue_edits()
    assert edits.version == 4
    assert edits.retired_risks == ("noise",)
    assert [a.code for a in edits.added_actions] == ["vibrating_tools.a"]


def test_the_record_of_edits_is_snapshotted_and_read_back(
    app: Registre, open_app: Callable[[], Registre]
) -> None:
    add_vibrating_tools(app)
    add_acrylonitrile(app)
    app.retire_cmr_agent(by_staff(), "71-43-2", None, "Interdit")
    app.take_snapshot(CATALOGUE_EDITS_ID)

    reader = open_app()
    assert reader.snapshots is not None
    (snapshot,) = reader.snapshots.get(CATALOGUE_EDITS_ID, desc=True, limit=1)
    from_snapshot = snapshot.mutate(None)  # type: ignore[attr-defined]
    assert isinstance(from_snapshot, CatalogueEdits)
    assert vars(from_snapshot) == vars(app.catalogue_edits())
    assert reader.catalogue().search_cmr("107-13-1")[0].name == "Acrylonitrile"
    assert reader.catalogue().search_cmr("71-43-2") == ()


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


def up_to_the_risks_step(app: Registre, member_id: UUID, year: int) -> None:
    """Steps 1 to 4 of the member's declaration done: its records, its legal representative,
    the workforce reviewed, every prevention theme answered."""
    address = Address(lines=("12 rue des Lilas",), postal_code="21000", city="Dijon")
    worksite = address.confirmed_at(Coordinates(47.32, 5.04))
    app.change_address(by_staff(), member_id, kind=AddressKind.WORKSITE, address=worksite)
    app.change_address(by_staff(), member_id, kind=AddressKind.BILLING, address=address)
    app.change_address(by_staff(), member_id, kind=AddressKind.CONVOCATION, address=address)
    record = app.member(member_id)
    app.change_administrative_information(
        by_staff(),
        member_id,
        legal_name=record.legal_name,
        siret=record.siret or SIRET,
        vat_number=None,
        has_cse=False,
    )
    contact = Contact(0, "Martin", "Claire", "Gérante", email=Email("claire@martin.fr"))
    contact_id = app.add_contact(by_staff(), member_id, contact).created_id
    assert contact_id is not None
    app.assign_interlocutor(
        by_staff(), member_id, role=Interlocutor.LEGAL_REPRESENTATIVE, contact_id=contact_id
    )
    for step in (Step.COMPANY, Step.CONTACTS, Step.WORKFORCE):
        app.complete_declaration_step(by_staff(), member_id, year, step, None)
    for theme in app.catalogue().prevention_themes:
        answers = {q.id: an_answer(q) for q in theme.questions if q.required}
        app.answer_prevention(by_staff(), member_id, year, theme.code, answers, None)
    app.complete_declaration_step(by_staff(), member_id, year, Step.PREVENTION, None)


def open_this_years_campaign(app: Registre) -> int:
    year = paris_today().year
    app.open_campaign(
        by_staff(),
        year=year,
        opens_on=date(year, 1, 1),
        deadline=date(year, 12, 31),
        rate_per_capita=Money.euros("79.5"),
        tool_price=Money.euros("150"),
    )
    return year


def test_the_declaration_accepts_an_added_risk_and_refuses_a_retired_one(app: Registre) -> None:
    year = open_this_years_campaign(app)
    member_id = app.register_member(
        by_staff(), member_code="00010", declarant_number="73915284", legal_name="Martin SAS"
    ).aggregate_id
    up_to_the_risks_step(app, member_id, year)
    app.add_risk(by_staff(), member_id, year, "noise", None)
    with pytest.raises(NotFound) as unknown:
        app.add_risk(by_staff(), member_id, year, "vibrating_tools", None)
    assert unknown.value.code == "UNKNOWN_RISK"

    add_vibrating_tools(app)
    app.retire_catalogue_risk(by_staff(), "noise", "Fusionné avec « Vibrations et bruit »")
    app.add_risk(by_staff(), member_id, year, "vibrating_tools", None)

    for command in (app.add_risk, app.decline_risk):
        with pytest.raises(NotFound) as retired:
            command(by_staff(), member_id, year, "noise", None)
        assert retired.value.code == "UNKNOWN_RISK"
    declaration = app.load(Declaration, Declaration.create_id(member_id, year), NotFound("absente"))
    assert declaration.risks == ("noise", "vibrating_tools"), "the retired code is kept"
    app.remove_risk(by_staff(), member_id, year, "noise", None)


# The audit trail ------------------------------------------------------------------------------


def test_the_audit_trail_summarises_each_edit_with_its_source(
    app: Registre, store: StoreSettings
) -> None:
    add_vibrating_tools(app)
    app.change_catalogue_risk(by_staff(), "noise", "Bruit", None, "INRS ED 6035")
    app.retire_catalogue_risk(by_staff(), "screen_work", "Doublon")
    app.add_suggested_action(by_staff(), "noise", "noise.screens", "Écrans acoustiques", "ED 6035")
    add_acrylonitrile(app)
    app.retire_cmr_agent(by_staff(), None, "Fabrication d'auramine", "Plus pratiqué")
    read_store = ReadStore.open(store)
    try:
        runner = ProjectionRunner(app, read_store, [AuditTrail])
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
        "Agent CMR ajouté au catalogue : Acrylonitrile (107-13-1) ; source : Règlement CLP,"
        " annexe VI",
        "Agent CMR retiré du catalogue : Fabrication d'auramine ; source : Plus pratiqué",
    ]
    assert entries[5].changes["agent"]["cas_number"] == ACRYLONITRILE
