"""Steps of « Des données dignes de confiance » (issue 15): each bad input the portal refuses,
and what it keeps (the terms an amendment leaves out, a contact's every field)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from litestar.testing import TestClient
from pytest_bdd import given, then, when

from application.catalogues.loader import default_catalogues
from application.members.commands import (
    AddContact,
    ChangeAdministrativeInformation,
    DeclareSituationChange,
    OpenBranch,
    RegisterMember,
)
from application.registre import Registre
from application.requests import Request
from application.workforce.commands import (
    AmendContract,
    AssignWorkSituation,
    DeclareDeterminant,
    HireEmployee,
    RecordExposure,
)
from contexts import create_app, open_services
from domain.address import Address
from domain.identifiers import CasNumber, Siret
from domain.members.organisation import Contact, ContactType, SituationChangeKind
from domain.workforce.employment import ContractTerms, ContractType, Identity, TermsAmendment
from domain.workforce.follow_up import FollowUp, FollowUpDeterminant
from domain.workforce.health import AgentKind, CmrAgent
from features.steps.vocabulary import EMPLOYER, Answer, Person, phrase, request_by
from messaging.mailer import OutboxMailer
from storage.settings import StoreSettings

HIRE = "mutation($input: HireEmployeeInput!) { hireEmployee(input: $input) { __typename } }"
CONTACT_TYPES = {contact_type.label: contact_type for contact_type in ContactType}


@dataclass(frozen=True, slots=True)
class PersonWithoutNir(Person):
    """A person whose form leaves the NIR empty (it is optional)."""

    def identity(self) -> Identity:
        return Identity(self.birth_name, self.first_name, self.birth_date, self.sex)


@given(
    phrase("la personne {first_name} {birth_name}, {sex:Born} le {birth_date:Date}, sans NIR"),
    target_fixture="person",
)
def person_without_nir(first_name: str, birth_name: str, sex: Any, birth_date: date) -> Person:
    return PersonWithoutNir(first_name, birth_name, birth_date, sex, "")


@given(
    phrase(
        "l'employeur l'embauche en CDI le {hire_date:Date} au poste « {job_title} » avec une"
        " période d'essai jusqu'au {trial_end:Date}"
    ),
    target_fixture="employee_id",
)
def hire_on_trial(  # noqa: PLR0917
    registre: Registre,
    answer: Answer,
    member_id: UUID,
    person: Person,
    hire_date: date,
    job_title: str,
    trial_end: date,
) -> UUID | None:
    terms = ContractTerms(job_title, ContractType.CDI, trial_end=trial_end)
    hire = HireEmployee(
        member_id=member_id, identity=person.identity(), hire_date=hire_date, terms=terms
    )
    result = answer.submit(lambda: registre.handle(request_by(EMPLOYER, {}), hire))
    return result.aggregate_id if result else None


@given(phrase("l'adhérent a le SIRET « {siret} »"))
def member_siret(registre: Registre, answer: Answer, member_id: UUID, siret: str) -> None:
    change = ChangeAdministrativeInformation(
        member_id=member_id,
        legal_name=registre.member(member_id).legal_name,
        siret=Siret(siret),
        vat_number=None,
        has_cse=None,
    )
    answer.submit(lambda: registre.handle(request_by(EMPLOYER, {}), change))


# Commands -------------------------------------------------------------------------------------


@when(
    phrase(
        "l'employeur déclare le déterminant « {determinant:Determinant} » à compter du"
        " {started_on:Date}"
    )
)
def declare(
    registre: Registre,
    answer: Answer,
    employee_id: UUID,
    determinant: FollowUpDeterminant,
    started_on: date,
) -> None:
    declared = DeclareDeterminant(
        employee_id=employee_id, determinant=determinant, started_on=started_on
    )
    answer.submit(lambda: registre.handle(request_by(EMPLOYER, {}), declared))


@when(
    phrase(
        "l'employeur enregistre une exposition à la substance « {name} » de numéro CAS"
        " « {cas} » à compter du {started_on:Date}"
    )
)
def record_exposure(  # noqa: PLR0917
    registre: Registre, answer: Answer, employee_id: UUID, name: str, cas: str, started_on: date
) -> None:
    agent = CmrAgent(AgentKind.SUBSTANCE, name, CasNumber(cas))
    recorded = RecordExposure(employee_id=employee_id, agent=agent, started_on=started_on)
    answer.submit(lambda: registre.handle(request_by(EMPLOYER, {}), recorded))


@when(phrase("l'adhérent ouvre l'établissement « {name} » de SIRET « {siret} »"))
def open_branch(registre: Registre, answer: Answer, member_id: UUID, name: str, siret: str) -> None:
    address = Address(("1 quai de la Douane",), "29200", "Brest")
    opened = OpenBranch(member_id=member_id, name=name, address=address, siret=Siret(siret))
    answer.submit(lambda: registre.handle(request_by(EMPLOYER, {}), opened))


@when(phrase("l'adhérent déclare la cession de l'entreprise à compter du {effective_on:Date}"))
def declare_sale(registre: Registre, answer: Answer, member_id: UUID, effective_on: date) -> None:
    declared = DeclareSituationChange(
        member_id=member_id,
        kind=SituationChangeKind.SALE,
        description="Cession du fonds",
        effective_on=effective_on,
    )
    answer.submit(lambda: registre.handle(request_by(EMPLOYER, {}), declared))


@when(
    phrase("le service inscrit l'adhérent « {member_code} » avec le n° télédéclarant « {number} »")
)
def register_with(registre: Registre, answer: Answer, member_code: str, number: str) -> None:
    def register() -> Any:
        message = RegisterMember(
            member_code=member_code, declarant_number=number, legal_name="Boulangerie Petit"
        )
        return registre.handle(Request(f"register-{member_code}"), message)

    answer.submit(register)


@when(
    phrase(
        "l'employeur signe un avenant à compter du {effective_on:Date} qui ne change que le"
        " poste : « {job_title} »"
    )
)
def amend_post_only(
    registre: Registre, answer: Answer, employee_id: UUID, effective_on: date, job_title: str
) -> None:
    amended = AmendContract(
        employee_id=employee_id,
        terms=TermsAmendment(job_title=job_title),
        effective_on=effective_on,
    )
    answer.submit(lambda: registre.handle(request_by(EMPLOYER, {}), amended))


@when(
    phrase(
        "l'employeur affecte la situation « {code} » à la salariée à compter du {started_on:Date}"
    )
)
def assign(  # noqa: PLR0917
    registre: Registre,
    answer: Answer,
    member_id: UUID,
    employee_id: UUID,
    code: str,
    started_on: date,
) -> None:
    assigned = AssignWorkSituation(
        member_id=member_id, situation_code=code, employee_ids=[employee_id], started_on=started_on
    )
    answer.submit(lambda: registre.handle(request_by(EMPLOYER, {}), assigned).declared[0])


@when(
    phrase(
        "l'adhérent ajoute le contact {first_name} {last_name}, « {kind} » de la société"
        " « {company} », portable « {mobile} », fax « {fax} », au {street} {postal_code:d} {city}"
    )
)
def add_contact(  # noqa: PLR0917
    registre: Registre,
    answer: Answer,
    member_id: UUID,
    first_name: str,
    last_name: str,
    kind: str,
    company: str,
    mobile: str,
    fax: str,
    street: str,
    postal_code: int,
    city: str,
) -> None:
    contact = Contact(
        0,
        last_name,
        first_name,
        contact_type=CONTACT_TYPES[kind],
        company=company,
        address=Address((street,), str(postal_code), city),
        mobile=mobile,  # type: ignore[arg-type]  # checked by the domain, as typed
        fax=fax,  # type: ignore[arg-type]
    )
    added = AddContact(member_id=member_id, contact=contact)
    answer.submit(lambda: registre.handle(request_by(EMPLOYER, {}), added))


# The API --------------------------------------------------------------------------------------


@pytest.fixture
def api(sqlite_store: StoreSettings, tmp_path: Any) -> Iterator[TestClient]:
    """The GraphQL endpoint, anonymous: a value is coerced before anyone is asked who sends it."""
    services = open_services(sqlite_store, mailer=OutboxMailer(tmp_path / "outbox"))
    with TestClient(create_app(services)) as client:
        yield client
    services.close()


@when(
    phrase("un client de l'API envoie une embauche dont la date de naissance est « {written} »"),
    target_fixture="api_answer",
)
def send_date(api: TestClient, written: str) -> dict[str, Any]:
    identity = {"birthName": "Durand", "firstName": "Camille", "birthDate": written, "sex": "F"}
    hire = {
        "requestId": "r-1",
        "memberId": "00000000-0000-0000-0000-000000000000",
        "identity": identity,
        "hireDate": "2025-01-06",
        "terms": {"jobTitle": "Mécanicienne", "contractType": "CDI"},
    }
    response = api.post("/graphql", json={"query": HIRE, "variables": {"input": hire}})
    return dict(response.json())


# Outcomes -------------------------------------------------------------------------------------


@then(phrase("l'API refuse la date du champ « {field} » avec le message « {message} »"))
def date_refused(api_answer: dict[str, Any], field: str, message: str) -> None:
    (error,) = api_answer["errors"]
    assert (error["message"], error["extensions"]) == (
        message,
        {"code": "INVALID_DATE", "field": field},
    )


@then(
    phrase(
        "le {day:Date}, le poste est « {job_title} » et la période d'essai finit le"
        " {trial_end:Date}"
    )
)
def terms_on(
    registre: Registre, employee_id: UUID, day: date, job_title: str, trial_end: date
) -> None:
    terms = registre.employee(employee_id).contract.terms_on(day)
    assert (terms.job_title, terms.trial_end) == (job_title, trial_end)


@then(
    phrase(
        "la salariée a la situation signalée « {label} » et reste en {category:FollowUp} le"
        " {day:Date}"
    )
)
def reported(
    registre: Registre, employee_id: UUID, label: str, category: FollowUp, day: date
) -> None:
    employee = registre.employee(employee_id)
    situations = [p.situation for p in employee.determinants or () if p.in_effect_on(day)]
    assert situations == [label]
    assert employee.follow_up_on(day).category is category


@then(phrase("la situation « {code} » du catalogue est {category:FollowUp} le {day:Date}"))
def situation_category(code: str, category: FollowUp, day: date) -> None:
    assert default_catalogues().work_situation(code).category_on(day) is category


@then(phrase("la situation « {code} » du catalogue n'entraîne aucune catégorie le {day:Date}"))
def situation_without_category(code: str, day: date) -> None:
    assert default_catalogues().work_situation(code).category_on(day) is None


@then(
    phrase(
        "le contact de l'adhérent est {first_name} {last_name}, type {kind}, société"
        " « {company} », portable « {mobile} », fax « {fax} », à {city}"
    )
)
def contact_kept(  # noqa: PLR0917
    registre: Registre,
    member_id: UUID,
    first_name: str,
    last_name: str,
    kind: str,
    company: str,
    mobile: str,
    fax: str,
    city: str,
) -> None:
    (contact,) = registre.member(member_id).contacts
    address = contact.address
    assert (contact.first_name, contact.last_name) == (first_name, last_name)
    assert contact.contact_type is ContactType[kind]
    assert (contact.company, contact.mobile, contact.fax) == (company, mobile, fax)
    assert address is not None
    assert address.city == city
