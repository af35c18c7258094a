"""Read models rebuilt from event zero equal the read models built live, row for row.

A property test (hypothesis) over random sequences of application commands on 1–2 members and a
few employees: hires (CDI, CDD with a planned end, apprenticeship), identity corrections,
contract amendments, corrections and closings, rehires, follow-up determinants (declared,
withdrawn, retracted), CMR exposures (recorded, ended, withdrawn: benzène, formaldéhyde, wood
dust), identity erasures, the members' contacts, interlocutors, addresses and legal names, and
accounts: first administrators registered with a member's postal codes, users added, their roles
and notifications changed, users removed, passwords issued, changed and reset, sign-ins (failed
or not) and sign-outs. Dates are drawn
in 2023–2026 so that periods overlap; a command the domain refuses (`DomainError`) changes
nothing and is skipped. Between commands the live runner sometimes applies its next batch (of a
drawn size) or is restarted with cold caches, as a new process would be; at the end it catches
up. Then a second runner rebuilds every read model of `READ_MODELS` (batches of another drawn
size) and every table of each new generation must hold exactly the rows of the live generation,
all columns. One fresh store per example, on SQLite and on PostgreSQL, with snapshots every 2, 5
or 50 events.

Two former bugs, which this property found, are pinned by plain tests at the end: an identity
corrected after its erasure made the employee's events unreadable (InvalidTag), and erasing the
identity of an employee under 18 somewhere in their timeline left a live WORKFORCE history
(SIA periods, an 18th-birthday boundary) that a rebuild, which reads the identity as None in
every event, could not give back.
"""

import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from pprint import pformat
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from psycopg import sql
from stdnum.fr import nir

from application.accounts import commands as accounting
from application.accounts.commands import NewAccount
from application.catalogues.loader import default_catalogues
from application.credentials import hash_secret
from application.declaration import commands as declaring
from application.members import commands as membership
from application.registre import SNAPSHOT_INTERVAL, Registre
from application.requests import Request
from application.workforce import commands as workforce
from contexts import READ_MODELS
from domain.accounts.access import Notification, Role
from domain.accounts.account import Account, LoginFailure, LoginMethod, account_id_of
from domain.address import Address, Coordinates
from domain.catalogues.model import Question
from domain.catalogues.question_kinds import QuestionKind
from domain.contact_details import Email, PhoneNumber
from domain.declaration.steps import Answer
from domain.declaration.steps import Step as DeclarationStep
from domain.errors import DomainError
from domain.identifiers import CasNumber, Nir, PcsCode, Siret
from domain.members.member import Member
from domain.members.organisation import AddressKind, Contact, Interlocutor
from domain.money import Money
from domain.workforce.employee import Employee
from domain.workforce.employment import ContractTerms, ContractType, ExitReason, Identity, Sex
from domain.workforce.follow_up import FollowUpDeterminant
from domain.workforce.health import AgentKind, CmrAgent, ExposureDegree, ExposureRoute
from projections.model import table_prefix
from projections.runner import ProjectionRunner
from projections.store import ReadStore, Row
from storage.settings import StoreSettings
from tests.composers import FixedCopy
from tests.stores import new_postgres_settings

EXAMPLES = {"sqlite": 25, "postgres": 10}
FIRST_DAY, LAST_DAY = date(2023, 1, 1), date(2026, 12, 31)
MEMBER_CODES = ("00010", "00020")

BENZENE = CmrAgent(AgentKind.SUBSTANCE, "Benzène", CasNumber("71-43-2"))
FORMALDEHYDE = CmrAgent(AgentKind.SUBSTANCE, "Formaldéhyde", CasNumber("50-00-0"))
WOOD_DUST = CmrAgent(AgentKind.PROCESS, "Poussières de bois")
ADDRESSES = {
    "Lyon": Address(lines=("12 rue des Lilas",), postal_code="69003", city="Lyon"),
    "Villeurbanne": Address(
        lines=("3 cours Émile Zola", "Bâtiment B"), postal_code="69100", city="Villeurbanne"
    ),
}
MAP_POINT = Coordinates(45.76, 4.84)
DECLARANT_NUMBER = "73915284"
PEOPLE = (
    ("claire.martin@exemple.fr", "Martin", "Claire"),
    ("Paul.Roux@Exemple.fr", "Roux", "Paul"),
    ("elodie@lefevre.fr", "Lefèvre", "Élodie"),
)
"""Who may get an account (by index): a second account for an address is refused."""

Tables = dict[str, list[Row]]


def a_request() -> Request:
    return Request.by(str(uuid4()), "user-1")


def a_person(index: int) -> NewAccount:
    email, last_name, first_name = PEOPLE[index]
    return NewAccount(
        email=Email(email), last_name=last_name, first_name=first_name, function="Gérante"
    )


def account_of(world: "World", index: int) -> UUID:
    """The person's account; an id that names no account when they have none yet."""
    email = Email(PEOPLE[index][0])
    account = world.app.find_account(email)
    return account_id_of(email) if account is None else account.id


# What the steps act on ---------------------------------------------------------------------------


@dataclass
class World:
    """The application under test, the live runner, and what the steps created so far."""

    app: Registre
    read_store: ReadStore
    runner: ProjectionRunner
    members: list[UUID] = field(default_factory=list)
    employees: list[UUID] = field(default_factory=list)

    def member(self, index: int) -> UUID:
        return self.members[index % len(self.members)]

    def employee(self, index: int) -> UUID | None:
        return self.employees[index % len(self.employees)] if self.employees else None


@dataclass(frozen=True)
class Person:
    birth_name: str
    first_name: str
    birth_date: date
    sex: Sex
    usage_name: str | None = None
    with_nir: bool = False

    def identity(self) -> Identity:
        number = None
        if self.with_nir:
            sex_digit = 1 if self.sex is Sex.M else 2
            body = f"{sex_digit}{self.birth_date:%y%m}75056123"
            number = Nir(body + nir.calc_check_digits(body))
        return Identity(
            self.birth_name, self.first_name, self.birth_date, self.sex, self.usage_name, number
        )


@dataclass(frozen=True)
class Terms:
    contract_type: ContractType
    job_title: str
    planned_end: date | None = None
    pcs_code: str | None = None
    trial_end: date | None = None

    def terms(self) -> ContractTerms:
        return ContractTerms(
            self.job_title,
            self.contract_type,
            pcs_code=None if self.pcs_code is None else PcsCode(self.pcs_code),
            trial_end=self.trial_end,
            planned_end=self.planned_end,
        )


class Step:
    """A command of the application, or something the live runner does."""

    def run(self, world: World) -> None:
        raise NotImplementedError


class EmployeeStep(Step):
    """A command on the `employee`-th employee hired (modulo); nothing before the first hire."""

    employee: int

    def run(self, world: World) -> None:
        employee_id = world.employee(self.employee)
        if employee_id is not None:
            self.change(world, employee_id)

    def change(self, world: World, employee_id: UUID) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class RunOnce(Step):
    """The live runner applies its next batch."""

    def run(self, world: World) -> None:
        world.runner.run_once()


@dataclass(frozen=True)
class RestartRunner(Step):
    """The live runner is replaced by a new one (a new process): read models' caches are cold."""

    def run(self, world: World) -> None:
        old = world.runner
        world.runner = ProjectionRunner(
            world.app, world.read_store, READ_MODELS, batch_size=old.batch_size
        )
        world.runner.setup()


@dataclass(frozen=True)
class Hire(Step):
    member: int
    person: Person
    hire_date: date
    terms: Terms

    def run(self, world: World) -> None:
        result = world.app.handle(
            a_request(),
            workforce.HireEmployee(
                member_id=world.member(self.member),
                identity=self.person.identity(),
                hire_date=self.hire_date,
                terms=self.terms.terms(),
            ),
        )
        world.employees.append(result.aggregate_id)


@dataclass(frozen=True)
class CorrectIdentity(EmployeeStep):
    employee: int
    person: Person

    def change(self, world: World, employee_id: UUID) -> None:
        world.app.handle(
            a_request(),
            workforce.CorrectIdentity(employee_id=employee_id, identity=self.person.identity()),
        )


@dataclass(frozen=True)
class EraseIdentity(EmployeeStep):
    employee: int

    def change(self, world: World, employee_id: UUID) -> None:
        world.app.handle(a_request(), workforce.EraseIdentity(employee_id=employee_id))


@dataclass(frozen=True)
class AmendContract(EmployeeStep):
    employee: int
    terms: Terms
    effective_on: date

    def change(self, world: World, employee_id: UUID) -> None:
        world.app.handle(
            a_request(),
            workforce.AmendContract(
                employee_id=employee_id, terms=self.terms.terms(), effective_on=self.effective_on
            ),
        )


@dataclass(frozen=True)
class CorrectContract(EmployeeStep):
    employee: int
    hire_date: date
    terms: Terms

    def change(self, world: World, employee_id: UUID) -> None:
        world.app.handle(
            a_request(),
            workforce.CorrectContract(
                employee_id=employee_id, hire_date=self.hire_date, terms=self.terms.terms()
            ),
        )


@dataclass(frozen=True)
class CloseContract(EmployeeStep):
    employee: int
    last_day: date
    reason: ExitReason

    def change(self, world: World, employee_id: UUID) -> None:
        world.app.handle(
            a_request(),
            workforce.CloseContract(
                employee_id=employee_id, last_day=self.last_day, reason=self.reason
            ),
        )


@dataclass(frozen=True)
class Rehire(EmployeeStep):
    employee: int
    hire_date: date
    terms: Terms

    def change(self, world: World, employee_id: UUID) -> None:
        world.app.handle(
            a_request(),
            workforce.RehireEmployee(
                employee_id=employee_id, hire_date=self.hire_date, terms=self.terms.terms()
            ),
        )


@dataclass(frozen=True)
class DeclareDeterminant(EmployeeStep):
    employee: int
    determinant: FollowUpDeterminant
    started_on: date
    note: str | None = None

    def change(self, world: World, employee_id: UUID) -> None:
        world.app.handle(
            a_request(),
            workforce.DeclareDeterminant(
                employee_id=employee_id,
                determinant=self.determinant,
                started_on=self.started_on,
                note=self.note,
            ),
        )


@dataclass(frozen=True)
class WithdrawDeterminant(EmployeeStep):
    employee: int
    determinant_id: int
    last_day: date

    def change(self, world: World, employee_id: UUID) -> None:
        world.app.handle(
            a_request(),
            workforce.WithdrawDeterminant(
                employee_id=employee_id, determinant_id=self.determinant_id, last_day=self.last_day
            ),
        )


@dataclass(frozen=True)
class RetractDeterminant(EmployeeStep):
    employee: int
    determinant_id: int

    def change(self, world: World, employee_id: UUID) -> None:
        world.app.handle(
            a_request(),
            workforce.RetractDeterminant(
                employee_id=employee_id, determinant_id=self.determinant_id, error_note="Erreur"
            ),
        )


@dataclass(frozen=True)
class RecordExposure(EmployeeStep):
    employee: int
    agent: CmrAgent
    started_on: date
    ended_on: date | None = None
    routes: tuple[ExposureRoute, ...] = ()
    hours_per_week: Decimal | None = None
    degree: ExposureDegree | None = None

    def change(self, world: World, employee_id: UUID) -> None:
        world.app.handle(
            a_request(),
            workforce.RecordExposure(
                employee_id=employee_id,
                agent=self.agent,
                started_on=self.started_on,
                ended_on=self.ended_on,
                routes=self.routes,
                hours_per_week=self.hours_per_week,
                degree=self.degree,
            ),
        )


@dataclass(frozen=True)
class EndExposure(EmployeeStep):
    employee: int
    exposure_id: int
    last_day: date

    def change(self, world: World, employee_id: UUID) -> None:
        world.app.handle(
            a_request(),
            workforce.EndExposure(
                employee_id=employee_id, exposure_id=self.exposure_id, last_day=self.last_day
            ),
        )


@dataclass(frozen=True)
class WithdrawExposure(EmployeeStep):
    employee: int
    exposure_id: int

    def change(self, world: World, employee_id: UUID) -> None:
        world.app.handle(
            a_request(),
            workforce.WithdrawExposure(
                employee_id=employee_id, exposure_id=self.exposure_id, error_note="Saisie en double"
            ),
        )


@dataclass(frozen=True)
class AddContact(Step):
    member: int
    last_name: str
    first_name: str
    by_phone: bool

    def run(self, world: World) -> None:
        reach: dict[str, Any] = (
            {"phone": PhoneNumber("04 72 10 20 30")}
            if self.by_phone
            else {"email": Email(f"{self.last_name.lower()}@exemple.fr")}
        )
        contact = Contact(0, self.last_name, self.first_name, **reach)
        world.app.handle(
            a_request(), membership.AddContact(member_id=world.member(self.member), contact=contact)
        )


@dataclass(frozen=True)
class AssignInterlocutor(Step):
    member: int
    role: Interlocutor
    contact_id: int

    def run(self, world: World) -> None:
        world.app.handle(
            a_request(),
            membership.AssignInterlocutor(
                member_id=world.member(self.member), role=self.role, contact_id=self.contact_id
            ),
        )


@dataclass(frozen=True)
class ChangeAddress(Step):
    member: int
    kind: AddressKind
    address: str
    confirmed: bool

    def run(self, world: World) -> None:
        address = ADDRESSES[self.address]
        if self.confirmed:
            address = address.confirmed_at(MAP_POINT)
        world.app.handle(
            a_request(),
            membership.ChangeAddress(
                member_id=world.member(self.member), kind=self.kind, address=address
            ),
        )


@dataclass(frozen=True)
class ChangeLegalName(Step):
    member: int
    legal_name: str

    def run(self, world: World) -> None:
        world.app.handle(
            a_request(),
            membership.ChangeAdministrativeInformation(
                member_id=world.member(self.member),
                legal_name=self.legal_name,
                siret=None,
                vat_number=None,
                has_cse=None,
            ),
        )


@dataclass(frozen=True)
class CreateFirstAccount(Step):
    """Someone registers with a member's postal codes: a new account, its first administrator."""

    member: int
    person: int
    third_party: bool

    def run(self, world: World) -> None:
        world.app.handle(
            a_request(),
            accounting.CreateFirstAccount(
                member_code=MEMBER_CODES[self.member % len(world.members)],
                declarant_number=DECLARANT_NUMBER,
                person=a_person(self.person),
                third_party_declarant=self.third_party,
                password_hash=hash_secret("Premier-mot-de-passe-1"),
            ),
        )


@dataclass(frozen=True)
class AttachMember(Step):
    """An account becomes the first administrator of another member with its postal codes."""

    member: int
    person: int
    third_party: bool

    def run(self, world: World) -> None:
        world.app.handle(
            a_request(),
            accounting.AttachMember(
                account_id=account_of(world, self.person),
                member_code=MEMBER_CODES[self.member % len(world.members)],
                declarant_number=DECLARANT_NUMBER,
                third_party_declarant=self.third_party,
            ),
        )


@dataclass(frozen=True)
class AddUser(Step):
    member: int
    person: int
    roles: frozenset[Role]
    third_party: bool

    def run(self, world: World) -> None:
        world.app.handle(
            a_request(),
            accounting.AddMemberUser(
                member_id=world.member(self.member),
                person=a_person(self.person),
                roles=self.roles,
                third_party_declarant=self.third_party,
            ),
        )


@dataclass(frozen=True)
class ChangeRoles(Step):
    member: int
    person: int
    roles: frozenset[Role]

    def run(self, world: World) -> None:
        world.app.handle(
            a_request(),
            accounting.ChangeMemberUserRoles(
                member_id=world.member(self.member),
                account_id=account_of(world, self.person),
                roles=self.roles,
            ),
        )


@dataclass(frozen=True)
class ChooseNotifications(Step):
    member: int
    person: int
    notifications: frozenset[Notification]

    def run(self, world: World) -> None:
        world.app.handle(
            a_request(),
            accounting.ChooseNotifications(
                member_id=world.member(self.member),
                account_id=account_of(world, self.person),
                notifications=self.notifications,
            ),
        )


@dataclass(frozen=True)
class RemoveUser(Step):
    member: int
    person: int

    def run(self, world: World) -> None:
        world.app.handle(
            a_request(),
            accounting.RemoveMemberUser(
                member_id=world.member(self.member), account_id=account_of(world, self.person)
            ),
        )


@dataclass(frozen=True)
class AccountActivity(Step):
    """A password issued, changed or reset, a sign-in (failed or not), a sign-out."""

    person: int
    activity: str

    def run(self, world: World) -> None:
        app, account_id = world.app, account_of(world, self.person)
        match self.activity:
            case "issue" | "change" | "reset":
                change = {
                    "issue": accounting.IssuePassword,
                    "change": accounting.ChangePassword,
                    "reset": accounting.ResetPassword,
                }[self.activity]
                password_hash = hash_secret(f"Mot-de-passe-{self.activity}-1")
                app.handle(a_request(), change(account_id=account_id, password_hash=password_hash))
            case "login":
                app.handle(
                    a_request(),
                    accounting.RecordLogin(account_id=account_id, method=LoginMethod.ONE_TIME_CODE),
                )
            case "failed":
                app.handle(
                    a_request(),
                    accounting.RecordFailedLogin(
                        account_id=account_id,
                        method=LoginMethod.PASSWORD,
                        failure=LoginFailure.WRONG_SECRET,
                    ),
                )
            case _:
                app.handle(a_request(), accounting.RecordLogout(account_id=account_id))


@dataclass(frozen=True)
class ChangeCompany(Step):
    """The SIRET and the CSE, which step 1 of the declaration asks for."""

    member: int

    def run(self, world: World) -> None:
        world.app.handle(
            a_request(),
            membership.ChangeAdministrativeInformation(
                member_id=world.member(self.member),
                legal_name="Boulangerie Martin",
                siret=Siret("73282932000074"),
                vat_number=None,
                has_cse=True,
            ),
        )


@dataclass(frozen=True)
class SuspendMembership(Step):
    member: int

    def run(self, world: World) -> None:
        world.app.handle(
            a_request(),
            membership.SuspendMembership(
                member_id=world.member(self.member),
                reason="Cotisation impayée",
                effective_on=date(2025, 5, 1),
            ),
        )


@dataclass(frozen=True)
class OpenCampaign(Step):
    """Opened on a past day: the application checks the real day."""

    year: int

    def run(self, world: World) -> None:
        world.app.handle(
            a_request(),
            declaring.OpenCampaign(
                year=self.year,
                opens_on=date(self.year, 1, 6),
                deadline=date(self.year, 3, 31),
                rate_per_capita=Money.euros("79.50"),
                tool_price=Money.euros("150"),
            ),
        )


@dataclass(frozen=True)
class CloseCampaign(Step):
    year: int

    def run(self, world: World) -> None:
        world.app.handle(
            a_request(), declaring.CloseCampaign(year=self.year, closed_on=date(self.year, 7, 1))
        )


def a_prevention_answer(question: Question) -> Answer:
    """A valid answer of each kind: yes, the lowest number allowed, the first choices."""
    match question.kind:
        case QuestionKind.YES_NO:
            return True
        case QuestionKind.NUMBER:
            lowest = question.minimum or 0
            return int(lowest) if question.integer else lowest + 0.5
        case QuestionKind.CHOICE:
            return question.choices[0]
        case QuestionKind.MULTI_CHOICE:
            return list(question.choices[:2])
        case QuestionKind.TEXT:
            return "Boulangerie artisanale"


@dataclass(frozen=True)
class DeclarationCommand(Step):
    """A change of the `member`-th member's declaration of `year`: a step completed, every
    prevention question answered, a risk added or declined, the risk tool subscribed or not, the
    terms of sale accepted, a confirmation with a given frozen copy, or a reopening."""

    member: int
    year: int
    action: str
    argument: str | DeclarationStep | None = None

    def run(self, world: World) -> None:
        app, member_id, year = world.app, world.member(self.member), self.year
        match self.action, self.argument:
            case "complete", DeclarationStep() as step:
                app.handle(
                    a_request(),
                    declaring.CompleteDeclarationStep(member_id=member_id, year=year, step=step),
                )
            case "answer_prevention", None:
                for theme in default_catalogues().prevention_themes:
                    answers = {q.id: a_prevention_answer(q) for q in theme.questions}
                    app.handle(
                        a_request(),
                        declaring.AnswerPrevention(
                            member_id=member_id,
                            year=year,
                            theme=theme.code,
                            answers=answers,
                        ),
                    )
            case "add_risk", str(risk):
                app.handle(
                    a_request(),
                    declaring.AddRisk(member_id=member_id, year=year, risk_code=risk),
                )
            case "decline_risk", str(risk):
                app.handle(
                    a_request(),
                    declaring.DeclineRisk(member_id=member_id, year=year, risk_code=risk),
                )
            case "tool", subscribed:
                app.handle(
                    a_request(),
                    declaring.ChooseRiskTool(
                        member_id=member_id,
                        year=year,
                        subscribed=subscribed == "yes",
                    ),
                )
            case "accept_terms", None:
                app.handle(
                    a_request(),
                    declaring.AcceptTermsOfSale(member_id=member_id, year=year),
                )
            case "confirm", str(frozen):
                app.compose_declarations_with(FixedCopy(frozen))
                app.handle(
                    a_request(), declaring.ConfirmDeclaration(member_id=member_id, year=year)
                )
            case "reopen", str(reason):
                app.handle(
                    a_request(),
                    declaring.ReopenDeclaration(member_id=member_id, year=year, reason=reason),
                )
            case _:
                raise AssertionError(f"unknown declaration command {self}")


# Strategies --------------------------------------------------------------------------------------

days = st.dates(FIRST_DAY, LAST_DAY)
hire_days = st.dates(FIRST_DAY, date(2024, 12, 31))  # earlier, so that later dates fit
optional_days = st.none() | days
members = st.integers(0, 1)
people_indexes = st.integers(0, len(PEOPLE) - 1)
role_sets = st.frozensets(st.sampled_from(Role), max_size=3)  # none: refused (NO_ROLE)
notification_sets = st.frozensets(st.sampled_from(Notification))
employees = st.integers(0, 3)
item_ids = st.integers(1, 3)

people = st.builds(
    Person,
    birth_name=st.sampled_from(["Durand", "Kowalczyk", "N'Diaye", "Lefèvre"]),
    first_name=st.sampled_from(["Élodie", "Marie", "Awa", "Chloé", "Paul"]),
    birth_date=st.dates(date(1960, 1, 1), date(2000, 12, 31))
    | st.dates(date(2005, 1, 1), date(2009, 6, 30)),  # 14 to 21 years old in 2023–2026
    sex=st.sampled_from(Sex),
    usage_name=st.none() | st.just("Martin"),
    with_nir=st.booleans(),
)
jobs = st.sampled_from(["Vendeuse", "Menuisier", "Agent de laboratoire"])
contract_terms = st.one_of(
    st.builds(
        Terms,
        st.just(ContractType.CDI),
        jobs,
        pcs_code=st.none() | st.sampled_from(["624d", "344b"]),
        trial_end=optional_days,
    ),
    st.builds(Terms, st.just(ContractType.CDD), jobs, planned_end=days),
    st.builds(Terms, st.just(ContractType.APPRENTICESHIP), jobs, planned_end=optional_days),
)
hires = st.builds(Hire, members, people, hire_days, contract_terms)
determinants = st.sampled_from(
    [
        FollowUpDeterminant.NIGHT_WORK,
        FollowUpDeterminant.ASBESTOS,
        FollowUpDeterminant.UNDER_18_REGULATED_WORK,
        FollowUpDeterminant.DRIVING_AUTHORISATION,
        FollowUpDeterminant.PREGNANCY,
        FollowUpDeterminant.EMPLOYER_DECLARED_RISK,
    ]
)
runner_steps = st.sampled_from([RunOnce(), RunOnce(), RunOnce(), RestartRunner()])
employee_commands = st.one_of(
    st.builds(CorrectIdentity, employees, people),
    st.builds(AmendContract, employees, contract_terms, days),
    st.builds(CorrectContract, employees, hire_days, contract_terms),
    st.builds(CloseContract, employees, days, st.sampled_from(ExitReason)),
    st.builds(Rehire, employees, days, contract_terms),
    st.builds(
        DeclareDeterminant, employees, determinants, days, st.none() | st.just("Travail isolé")
    ),
    st.builds(WithdrawDeterminant, employees, item_ids, days),
    st.builds(RetractDeterminant, employees, item_ids),
    st.builds(
        RecordExposure,
        employees,
        st.sampled_from([BENZENE, FORMALDEHYDE, WOOD_DUST]),
        days,
        optional_days,
        st.lists(st.sampled_from(ExposureRoute), max_size=2, unique=True).map(tuple),
        st.none() | st.sampled_from([Decimal("2"), Decimal("7.5"), Decimal("35")]),
        st.none() | st.sampled_from(ExposureDegree),
    ),
    st.builds(EndExposure, employees, item_ids, days),
    st.builds(WithdrawExposure, employees, item_ids),
    st.builds(EraseIdentity, employees),
)
member_commands = st.one_of(
    st.builds(
        AddContact,
        members,
        st.sampled_from(["Martin", "Roux"]),
        st.sampled_from(["Claire", "Paul"]),
        st.booleans(),
    ),
    st.builds(AssignInterlocutor, members, st.sampled_from(Interlocutor), item_ids),
    st.builds(
        ChangeAddress,
        members,
        st.sampled_from(AddressKind),
        st.sampled_from(sorted(ADDRESSES)),
        st.booleans(),
    ),
)
account_commands = st.one_of(
    st.builds(CreateFirstAccount, members, people_indexes, st.booleans()),
    st.builds(AttachMember, members, people_indexes, st.booleans()),
    st.builds(AddUser, members, people_indexes, role_sets, st.booleans()),
    st.builds(ChangeRoles, members, people_indexes, role_sets),
    st.builds(ChooseNotifications, members, people_indexes, notification_sets),
    st.builds(RemoveUser, members, people_indexes),
    st.builds(
        AccountActivity,
        people_indexes,
        st.sampled_from(["issue", "change", "reset", "login", "failed", "logout"]),
    ),
    st.builds(ChangeLegalName, members, st.sampled_from(["Boulangerie Martin", "Garage Dupont"])),
)
steps = st.tuples(
    st.lists(hires, min_size=1, max_size=3),
    st.lists(
        st.one_of(
            runner_steps,
            hires,
            employee_commands,
            employee_commands,
            member_commands,
            account_commands,
        ),
        min_size=8,
        max_size=25,
    ),
).map(lambda parts: [*parts[0], *parts[1]])


# Running a scenario ------------------------------------------------------------------------------


@contextmanager
def fresh_store(postgres_url: str | None) -> Iterator[StoreSettings]:
    """An empty store for one example: a SQLite file, or a PostgreSQL schema dropped after."""
    with tempfile.TemporaryDirectory() as directory:
        data_dir = Path(directory)
        if postgres_url is None:
            yield StoreSettings(url=f"sqlite:///{data_dir / 'registre.sqlite3'}", data_dir=data_dir)
            return
        store = new_postgres_settings(postgres_url, data_dir)
        try:
            yield store
        finally:
            schema = store.url.rsplit("schema=", 1)[1]
            with psycopg.connect(postgres_url, autocommit=True) as connection:
                connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@cache
def registre_class(snapshot_interval: int) -> type[Registre]:
    """The application, snapshotting members and employees every `snapshot_interval` events."""
    if snapshot_interval == SNAPSHOT_INTERVAL:
        return Registre
    intervals = {Member: snapshot_interval, Employee: snapshot_interval, Account: snapshot_interval}
    return type(
        f"RegistreSnapshotEvery{snapshot_interval}",
        (Registre,),
        {"snapshotting_intervals": intervals},
    )


def read_tables(read_store: ReadStore, generations: dict[str, int]) -> Tables:
    """Every table of every read model at the given generations: all columns, rows sorted."""
    tables = {}
    for model in READ_MODELS:
        prefix = table_prefix(model.name, generations[model.name])
        for base in model.tables:
            rows = read_store.read(f"SELECT * FROM {prefix}{base}")
            tables[f"{model.name}.{base}"] = sorted(rows, key=repr)
    return tables


def differences(live: Tables, rebuilt: Tables) -> dict[str, dict[str, list[Row]]]:
    """Per table, the rows only the live generation has and those only the rebuilt one has."""
    found = {}
    for table in sorted(live.keys() | rebuilt.keys()):
        live_rows, rebuilt_rows = Counter(live.get(table, [])), Counter(rebuilt.get(table, []))
        only_live = sorted((live_rows - rebuilt_rows).elements(), key=repr)
        only_rebuilt = sorted((rebuilt_rows - live_rows).elements(), key=repr)
        if only_live or only_rebuilt:
            found[table] = {"only live": only_live, "only rebuilt": only_rebuilt}
    return found


def live_and_rebuilt(
    store: StoreSettings,
    scenario: list[Step],
    *,
    member_count: int = 1,
    live_batch: int = 3,
    rebuild_batch: int = 2,
    snapshot_interval: int = SNAPSHOT_INTERVAL,
    note: Callable[[str], object] = lambda _: None,
) -> tuple[Tables, Tables]:
    """Run the scenario with the live runner following, catch up, then rebuild every read
    model with a second runner: the live generations' tables and the rebuilt ones'."""
    with ExitStack() as closing:
        app = registre_class(snapshot_interval)(store)
        closing.callback(app.close)
        read_store = ReadStore.open(store, pool_size=2)
        closing.callback(read_store.close)
        runner = ProjectionRunner(app, read_store, READ_MODELS, batch_size=live_batch)
        runner.setup()
        world = World(app, read_store, runner)
        for code in MEMBER_CODES[:member_count]:
            registered = app.handle(
                a_request(),
                membership.RegisterMember(
                    member_code=code, declarant_number=DECLARANT_NUMBER, legal_name=f"SAS {code}"
                ),
            )
            world.members.append(registered.aggregate_id)
        for step in scenario:
            try:
                step.run(world)
            except DomainError as refused:
                note(f"refused: {type(step).__name__} ({refused.code})")
            else:
                note(f"ran: {type(step).__name__}")
        world.runner.catch_up()
        live_generations = world.runner.active_generations()
        live = read_tables(read_store, live_generations)

        rebuilder = ProjectionRunner(app, read_store, READ_MODELS, batch_size=rebuild_batch)
        rebuilt_generations = {m.name: rebuilder.rebuild(m.name) for m in READ_MODELS}
        assert all(rebuilt_generations[n] > g for n, g in live_generations.items())
        return live, read_tables(read_store, rebuilt_generations)


@pytest.mark.parametrize(
    "store_kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_read_models_rebuilt_from_event_zero_equal_the_live_ones(
    store_kind: str, request: pytest.FixtureRequest
) -> None:
    postgres_url = request.getfixturevalue("postgres_server") if store_kind == "postgres" else None

    @settings(
        max_examples=EXAMPLES[store_kind],
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        member_count=st.integers(1, 2),
        scenario=steps,
        live_batch=st.integers(1, 8),
        rebuild_batch=st.integers(1, 8),
        snapshot_interval=st.sampled_from([SNAPSHOT_INTERVAL, 5, 2]),
    )
    def rebuilt_equals_live(
        member_count: int,
        scenario: list[Step],
        live_batch: int,
        rebuild_batch: int,
        snapshot_interval: int,
    ) -> None:
        with fresh_store(postgres_url) as store:
            live, rebuilt = live_and_rebuilt(
                store,
                scenario,
                member_count=member_count,
                live_batch=live_batch,
                rebuild_batch=rebuild_batch,
                snapshot_interval=snapshot_interval,
                note=event,
            )
        assert live["audit.entries"], "members are registered first: the log is never empty"
        assert "accounts.member_users" in live, "every read model is compared"
        found = differences(live, rebuilt)
        assert not found, f"rebuilt tables differ from the live ones:\n{pformat(found, width=100)}"

    rebuilt_equals_live()


# Regressions found by the property -------------------------------------------------------------


ADULT = Person("Durand", "Élodie", date(1990, 5, 17), Sex.F)
MINOR = Person("Durand", "Chloé", date(2008, 9, 1), Sex.F)  # 15 at hire, 18 on 1 September 2026


def a_hire(person: Person) -> Hire:
    return Hire(0, person, date(2024, 1, 2), Terms(ContractType.APPRENTICESHIP, "Menuisier"))


def test_an_erased_identity_cannot_be_corrected_and_the_log_stays_readable(
    store: StoreSettings,
) -> None:
    """A correction after an erasure used to seal the identity with a new key, under which the
    events sealed with the destroyed one could not be opened: a rebuild raised InvalidTag."""
    notes: list[str] = []
    scenario = [a_hire(ADULT), RunOnce(), EraseIdentity(0), CorrectIdentity(0, ADULT)]
    live, rebuilt = live_and_rebuilt(store, scenario, note=notes.append)
    assert notes[-1] == "refused: CorrectIdentity (IDENTITY_ERASED)"
    assert not differences(live, rebuilt)


def test_erasing_the_identity_of_a_minor_rebuilds_the_same_workforce(
    store: StoreSettings,
) -> None:
    """The live WORKFORCE history of a minor used to keep its under-18 periods after an
    erasure, which a rebuild (the birth date read as None) computes as an adult's."""
    scenario: list[Step] = [a_hire(MINOR), RunOnce(), RunOnce(), EraseIdentity(0)]
    live, rebuilt = live_and_rebuilt(store, scenario)
    assert not differences(live, rebuilt), pformat(differences(live, rebuilt), width=100)
    read_store = ReadStore.open(store)
    try:
        live_categories = read_store.read("SELECT DISTINCT category FROM workforce_g1_segments")
    finally:
        read_store.close()
    assert live_categories == [("SI",)], "no under-18 period is left once the birth is erased"


def test_accounts_and_the_members_users_rebuild_the_same(store: StoreSettings) -> None:
    """Every account and user event, with the live runner following in between (the property
    draws them too, but not always enough of them to reach the accounts' tables)."""
    notes: list[str] = []
    scenario: list[Step] = [
        CreateFirstAccount(0, 0, third_party=False),
        AccountActivity(0, "login"),
        RunOnce(),
        AttachMember(1, 0, third_party=True),
        AddUser(0, 1, frozenset({Role.BILLING, Role.CONVOCATION}), third_party=False),
        AddUser(1, 2, frozenset({Role.DECLARATION}), third_party=True),
        RunOnce(),
        ChangeRoles(0, 1, frozenset({Role.ADMIN})),
        ChooseNotifications(1, 2, frozenset({Notification.INVOICES})),
        RestartRunner(),
        ChangeLegalName(1, "Garage Dupont"),
        AccountActivity(1, "issue"),
        AccountActivity(1, "failed"),
        RunOnce(),
        AccountActivity(1, "change"),
        AccountActivity(0, "reset"),
        RemoveUser(0, 0),
        AccountActivity(0, "logout"),
    ]
    live, rebuilt = live_and_rebuilt(store, scenario, member_count=2, note=notes.append)
    assert [n for n in notes if n.startswith("refused")] == []
    assert len(live["accounts.accounts"]) == 3
    assert len(live["accounts.member_users"]) == 3
    assert not differences(live, rebuilt), pformat(differences(live, rebuilt), width=100)


def test_campaigns_declarations_and_confirmations_rebuild_the_same(store: StoreSettings) -> None:
    """Campaigns, declarations step by step, a confirmation, its reopening and a second
    confirmation, a suspension, with the live runner following in between (the property draws
    no declaration: its members never have what step 1 asks)."""
    frozen = '{"année":2024,"membre":"Boulangérie","montant_ttc":"1234.50","salariés":[]}'
    notes: list[str] = []
    furnished: list[Step] = [
        ChangeCompany(0),
        *(ChangeAddress(0, kind, "Lyon", confirmed=True) for kind in AddressKind),
        AddContact(0, "Martin", "Claire", by_phone=False),
        AssignInterlocutor(0, Interlocutor.LEGAL_REPRESENTATIVE, 1),
    ]
    steps_up_to_workforce = [
        DeclarationCommand(0, 2024, "complete", step)
        for step in (
            DeclarationStep.COMPANY,
            DeclarationStep.CONTACTS,
            DeclarationStep.WORKFORCE,
        )
    ]
    scenario: list[Step] = [
        OpenCampaign(2024),
        OpenCampaign(2025),
        *furnished,
        RunOnce(),
        *steps_up_to_workforce,
        DeclarationCommand(0, 2024, "answer_prevention"),
        DeclarationCommand(0, 2024, "complete", DeclarationStep.PREVENTION),
        DeclarationCommand(0, 2024, "add_risk", "noise"),
        DeclarationCommand(0, 2024, "decline_risk", "cold"),
        DeclarationCommand(0, 2024, "complete", DeclarationStep.RISKS),
        RunOnce(),
        DeclarationCommand(0, 2024, "tool", "yes"),
        DeclarationCommand(0, 2024, "complete", DeclarationStep.SITUATIONS_AND_CMR),
        DeclarationCommand(0, 2024, "accept_terms"),
        DeclarationCommand(0, 2024, "confirm", frozen),
        RestartRunner(),
        DeclarationCommand(0, 2024, "reopen", "Effectif erroné"),
        RunOnce(),
        DeclarationCommand(0, 2024, "tool", "no"),
        DeclarationCommand(0, 2024, "confirm", frozen.replace("1234.50", "1084.50")),
        CloseCampaign(2024),
        DeclarationCommand(0, 2025, "complete", DeclarationStep.COMPANY),
        SuspendMembership(1),
    ]
    live, rebuilt = live_and_rebuilt(store, scenario, member_count=2, note=notes.append)
    assert [n for n in notes if n.startswith("refused")] == []
    assert [len(live[f"declarations.{t}"]) for t in ("campaigns", "declarations")] == [2, 2]
    assert [row[6] for row in sorted(live["declarations.confirmations"])] == [
        frozen,
        frozen.replace("1234.50", "1084.50"),
    ]
    assert len(live["declarations.member_states"]) == 2
    assert not differences(live, rebuilt), pformat(differences(live, rebuilt), width=100)
