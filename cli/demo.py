"""Demo data: a bakery member and its workforce, created through the application commands only.

Deterministic for a given seed and a given day (dates are relative to today, in Paris), except
the declarant number and the request ids, which are fresh on every run. Identifiers are valid:
SIRET and SIREN with their Luhn keys, the VAT number from the SIREN, an IBAN with its RIB key
and check digits, NIRs consistent with sex and birth date with their key.
"""

import logging
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from eventsourcing.utils import get_topic
from stdnum import iban, luhn
from stdnum.fr import nir

from application.credentials import new_declarant_number
from application.members.commands import (
    AddContact,
    AssignInterlocutor,
    ChangeAddress,
    ChangeAdministrativeInformation,
    OpenBranch,
    RegisterMember,
    SignSepaMandate,
)
from application.registre import Registre
from application.requests import Request
from application.workforce.commands import (
    CloseContract,
    DeclareDeterminant,
    EndExposure,
    HireEmployee,
    RecordExposure,
    RehireEmployee,
    WithdrawExposure,
)
from domain.actor import SYSTEM
from domain.address import Address, Coordinates
from domain.contact_details import Email, PhoneNumber
from domain.identifiers import CasNumber, Iban, Nir, PcsCode, Siren, Siret
from domain.members.member import Member
from domain.members.organisation import AddressKind, Contact, Interlocutor, SepaMandate
from domain.workforce.employee import Employee
from domain.workforce.employment import ContractTerms, ContractType, ExitReason, Identity, Sex
from domain.workforce.follow_up import FollowUp, FollowUpDeterminant
from domain.workforce.health import AgentKind, CmrAgent, ExposureDegree, ExposureRoute

logger = logging.getLogger(__name__)

DEMO_MEMBER_CODE = "00010"
DEMO_LEGAL_NAME = "Boulangeries Martin & Fils"
DEMO_USER = "demo-admin"
DEFAULT_EMPLOYEES = 50
DEFAULT_SEED = 10
HIRED_TOPIC = f"{get_topic(Employee)}.Hired"

# Names ----------------------------------------------------------------------------------------

WOMEN_FIRST_NAMES = (
    "Marie", "Camille", "Léa", "Manon", "Chloé", "Élodie", "Julie", "Sarah", "Laura", "Émilie",
    "Céline", "Nathalie", "Isabelle", "Sandrine", "Stéphanie", "Aurélie", "Sophie", "Inès",
    "Clara", "Jade", "Lucie", "Océane", "Mélanie", "Audrey", "Virginie", "Christelle",
    "Amandine", "Hélène", "Anaïs", "Margaux", "Zoé", "Noémie",
)  # fmt: skip
MEN_FIRST_NAMES = (
    "Thomas", "Nicolas", "Julien", "Maxime", "Alexandre", "Kévin", "Romain", "Sébastien",
    "Jérôme", "Loïc", "Mathieu", "Antoine", "Guillaume", "Florian", "Hugo", "Lucas", "Théo",
    "Nathan", "Karim", "Mehdi", "Yanis", "Benoît", "François", "Cédric", "Frédéric", "Stéphane",
    "Laurent", "Olivier", "Éric", "Rémi", "Gaëtan", "Mickaël",
)  # fmt: skip
SURNAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont",
    "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau",
    "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu",
    "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson",
    "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Benali", "Ferreira", "Haddad",
)  # fmt: skip

# Jobs -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Job:
    """A post of the bakery: titles (masculine, feminine), PCS-ESE 2003 code, share of women."""

    title_m: str
    title_f: str
    pcs: str | None
    women_share: float = 0.5
    night_work: bool = False

    def title(self, sex: Sex) -> str:
        return self.title_f if sex is Sex.F else self.title_m


BAKER = Job("Boulanger", "Boulangère", "636c", 0.2, night_work=True)
PASTRY_COOK = Job("Pâtissier", "Pâtissière", "636c", 0.45)
SELLER = Job("Vendeur en boulangerie", "Vendeuse en boulangerie", "554a", 0.85)
SNACKING_COOK = Job("Commis de cuisine (snacking)", "Commis de cuisine (snacking)", "636d", 0.4)
DRIVER = Job("Chauffeur-livreur", "Chauffeuse-livreuse", "643a", 0.15)
ORDER_PICKER = Job("Préparateur de commandes", "Préparatrice de commandes", "676c", 0.3)
SHOP_MANAGER = Job("Responsable de boutique", "Responsable de boutique", "462a", 0.7)
ACCOUNTANT = Job("Comptable", "Comptable", "543a", 0.7)
ASSISTANT = Job("Assistant administratif", "Assistante administrative", "542a", 0.8)
CLEANER = Job("Agent d'entretien", "Agente d'entretien", "684a", 0.6)
MAINTENANCE = Job("Agent de maintenance (menuiserie)", "Agente de maintenance (menuiserie)", "632k")
MECHANIC = Job("Mécanicien flotte de livraison", "Mécanicienne flotte de livraison", "634c")
APPRENTICE_BAKER = Job("Apprenti boulanger", "Apprentie boulangère", "636c", 0.2)
APPRENTICE_PASTRY = Job("Apprenti pâtissier", "Apprentie pâtissière", "636c", 0.6)
INTERN = Job("Stagiaire en gestion commerciale", "Stagiaire en gestion commerciale", None)

GENERIC_JOBS = (BAKER, PASTRY_COOK, SELLER, SNACKING_COOK, DRIVER, ORDER_PICKER, ASSISTANT)
GENERIC_WEIGHTS = (6, 3, 7, 2, 1, 2, 1)
SHOP_JOBS = frozenset({SELLER, SHOP_MANAGER})


@dataclass(frozen=True, slots=True)
class Profile:
    """One employee to create: post, contract, age range, and a story told after hiring.

    `hired_days_ago`: range of seniority (clipped so that the person was at least 18); `None`
    hires on the last 1st of September for an apprentice, else up to 12 years ago.
    `ends_in`: planned end of a fixed-term contract, in days from today (negative: past).
    """

    job: Job
    contract: ContractType = ContractType.CDI
    ages: tuple[int, int] = (19, 62)
    sex: Sex | None = None
    hired_days_ago: tuple[int, int] | None = None
    ends_in: int | None = None
    branch: int | None = None
    story: str | None = None


_CDD, _TEMP = ContractType.CDD, ContractType.TEMPORARY
SPECIAL_PROFILES = (
    Profile(BAKER, ages=(28, 55), hired_days_ago=(900, 6000)),
    Profile(MECHANIC, ages=(30, 55), sex=Sex.M, hired_days_ago=(500, 4000), story="fuel"),
    Profile(CLEANER, ages=(30, 58), hired_days_ago=(300, 3000), story="cleaning"),
    Profile(MAINTENANCE, ages=(35, 60), sex=Sex.M, hired_days_ago=(700, 5000), story="wood"),
    Profile(
        SELLER, ages=(27, 37), sex=Sex.F, hired_days_ago=(400, 2500), branch=2, story="pregnant"
    ),
    Profile(DRIVER, ages=(25, 50), sex=Sex.M, hired_days_ago=(200, 3000), story="driving"),
    Profile(ORDER_PICKER, ages=(30, 55), hired_days_ago=(300, 4000), story="disabled"),
    Profile(APPRENTICE_BAKER, ContractType.APPRENTICESHIP, ages=(16, 17), sex=Sex.M),
    Profile(APPRENTICE_PASTRY, ContractType.APPRENTICESHIP, ages=(17, 17), sex=Sex.F),
    Profile(SELLER, _CDD, ages=(19, 30), hired_days_ago=(150, 240), ends_in=-25, branch=3),
    Profile(SNACKING_COOK, _CDD, ages=(20, 45), hired_days_ago=(20, 90), ends_in=130),
    Profile(ORDER_PICKER, _TEMP, ages=(20, 45), hired_days_ago=(5, 20), ends_in=26),
    Profile(INTERN, ContractType.INTERNSHIP, ages=(19, 23), hired_days_ago=(20, 45), ends_in=45),
    Profile(PASTRY_COOK, ages=(24, 50), hired_days_ago=(600, 3000), story="resigned"),
    Profile(SELLER, _CDD, (20, 40), Sex.F, (500, 540), ends_in=-430, branch=2, story="rehired"),
    Profile(SELLER, ages=(22, 50), sex=Sex.F, hired_days_ago=(200, 2000), story="mistake"),
    Profile(SELLER, _CDD, ages=(19, 30), hired_days_ago=(100, 190), ends_in=-70, branch=2),
    Profile(DRIVER, ages=(28, 55), hired_days_ago=(800, 4000), story="agreed_exit"),
    Profile(BAKER, ages=(62, 64), sex=Sex.M, hired_days_ago=(6000, 12000), story="retired"),
    Profile(SHOP_MANAGER, ages=(30, 55), hired_days_ago=(700, 6000), branch=2),
    Profile(SHOP_MANAGER, ages=(30, 55), hired_days_ago=(700, 6000), branch=3),
    Profile(ACCOUNTANT, ages=(30, 60), hired_days_ago=(700, 8000)),
)


def staffing_plan(rng: random.Random, employees: int) -> list[Profile]:
    """The special cases first (so that a small demo still shows them), then common posts."""
    plan = list(SPECIAL_PROFILES[:employees])
    while len(plan) < employees:
        plan.append(_generic_profile(rng))
    return plan


def _generic_profile(rng: random.Random) -> Profile:
    job = rng.choices(GENERIC_JOBS, GENERIC_WEIGHTS)[0]
    branch = rng.choice((None, 2, 3)) if job in SHOP_JOBS else None
    if rng.random() < 0.15:
        ends_in = rng.randint(20, 240)
        return Profile(job, _CDD, hired_days_ago=(10, 150), ends_in=ends_in, branch=branch)
    return Profile(job, branch=branch)


# Identifiers ------------------------------------------------------------------------------------

BIRTH_DEPARTMENTS = ("13",) * 8 + ("84", "83", "04", "06", "30", "34", "69", "75", "59", "21")
BIRTH_COUNTRIES = ("350", "352", "351", "139")  # Maroc, Algérie, Tunisie, Portugal (code INSEE)


def luhn_complete(digits: str) -> str:
    return digits + luhn.calc_check_digit(digits)


def make_siren(rng: random.Random) -> Siren:
    return Siren(luhn_complete(str(rng.randint(30_000_000, 99_999_999))))


def make_siret(siren: Siren, establishment: int) -> Siret:
    return Siret(luhn_complete(f"{siren}{establishment:04d}"))


def make_french_iban(rng: random.Random) -> Iban:
    """A French IBAN: bank 30004, branch, account, RIB key, then the IBAN check digits."""
    bank, branch = "30004", f"{rng.randint(100, 3999):05d}"
    account = f"{rng.randint(10**9, 10**11 - 1):011d}"
    rib_key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    bban = f"{bank}{branch}{account}{rib_key:02d}"
    return Iban(f"FR{iban.calc_check_digits(f'FR00{bban}')}{bban}")


def birth_place(rng: random.Random) -> str:
    """Department and commune (5 characters) of a NIR, sometimes Corsica, overseas or abroad."""
    draw = rng.random()
    if draw < 0.06:
        return rng.choice(("2A004", "2B033"))
    if draw < 0.09:
        return f"97{rng.choice('1234')}{rng.randint(1, 30):02d}"
    if draw < 0.18:
        return "99" + rng.choice(BIRTH_COUNTRIES)
    return f"{rng.choice(BIRTH_DEPARTMENTS)}{rng.randint(1, 300):03d}"


def make_nir(rng: random.Random, sex: Sex, birth_date: date) -> Nir:
    sex_digit = "1" if sex is Sex.M else "2"
    body = (
        f"{sex_digit}{birth_date.year % 100:02d}{birth_date.month:02d}"
        f"{birth_place(rng)}{rng.randint(1, 999):03d}"
    )
    return Nir(body + nir.calc_check_digits(body))


# Dates ------------------------------------------------------------------------------------------


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def years_after(day: date, years: int) -> date:
    return years_before(day, -years)


def last_school_year_start(today: date) -> date:
    start = date(today.year, 9, 1)
    return start if start <= today else date(today.year - 1, 9, 1)


# The member -------------------------------------------------------------------------------------

WORKSITE = Address(
    ("Fournil central", "215 rue Louis de Broglie"),
    "13290",
    "Aix-en-Provence",
    coordinates=Coordinates(43.4977, 5.3765),
)
BILLING = Address(
    ("Service comptabilité", "215 rue Louis de Broglie", "CS 30412"), "13290", "Aix-en-Provence"
)
CONVOCATION = Address(
    ("Ressources humaines", "215 rue Louis de Broglie"), "13290", "Aix-en-Provence"
)
BRANCHES = (
    ("Boutique Marseille Castellane", Address(("42 rue de Rome",), "13006", "Marseille")),
    ("Boutique Salon-de-Provence", Address(("17 cours Carnot",), "13300", "Salon-de-Provence")),
)
MAIL_DOMAIN = "boulangeries-martin.example"
CONTACTS = (  # last name, first name, function, phone (ARCEP fiction range), e-mail local part
    ("Martin", "Philippe", "Gérant", "04 65 71 20 10", "p.martin"),
    ("Roux", "Élodie", "Secrétaire du CSE", "06 39 98 41 27", "cse"),
    ("Garnier", "Sophie", "Responsable des ressources humaines", "04 65 71 20 14", "rh"),
    ("Fabre", "Laurent", "Expert-comptable, cabinet Fabre Conseil", "04 65 71 38 52", None),
)


@dataclass(slots=True)
class Hire:
    employee_id: UUID
    profile: Profile
    hire_date: date
    sex: Sex


@dataclass(slots=True)
class DemoSeeder:
    """Creates the demo member and its employees with the commands of `Registre`."""

    app: Registre
    rng: random.Random
    today: date
    nirs: set[str] = field(default_factory=set)
    names: set[tuple[str, str]] = field(default_factory=set)
    siren: Siren = field(init=False)

    def seed(self, employees: int) -> tuple[UUID, str]:
        declarant_number = new_declarant_number()
        member_id = self._register(declarant_number)
        self._describe_member(member_id)
        for profile in staffing_plan(self.rng, employees):
            self._tell_story(self._hire(member_id, profile))
        return member_id, declarant_number

    def _request(self) -> Request:
        return Request.by(str(uuid.uuid4()), DEMO_USER)

    # Member ----------------------------------------------------------------------------------

    def _register(self, declarant_number: str) -> UUID:
        self.siren = make_siren(self.rng)
        result = self.app.handle(
            Request(str(uuid.uuid4()), SYSTEM),
            RegisterMember(
                member_code=DEMO_MEMBER_CODE,
                declarant_number=declarant_number,
                legal_name=DEMO_LEGAL_NAME,
                siret=make_siret(self.siren, 1),
            ),
        )
        return result.aggregate_id

    def _describe_member(self, member_id: UUID) -> None:
        self.app.handle(
            self._request(),
            ChangeAdministrativeInformation(
                member_id=member_id,
                legal_name=DEMO_LEGAL_NAME,
                siret=make_siret(self.siren, 1),
                vat_number=self.siren.to_vat_number(),
                has_cse=True,
            ),
        )
        for kind, address in (
            (AddressKind.WORKSITE, WORKSITE),
            (AddressKind.BILLING, BILLING),
            (AddressKind.CONVOCATION, CONVOCATION),
        ):
            self.app.handle(
                self._request(), ChangeAddress(member_id=member_id, kind=kind, address=address)
            )
        for number, (name, address) in enumerate(BRANCHES, start=2):
            siret = make_siret(self.siren, number)
            self.app.handle(
                self._request(),
                OpenBranch(member_id=member_id, name=name, address=address, siret=siret),
            )
        self._add_contacts(member_id)
        self._sign_mandate(member_id)

    def _add_contacts(self, member_id: UUID) -> None:
        ids = []
        for last_name, first_name, function, phone, mailbox in CONTACTS:
            email = Email(f"{mailbox}@{MAIL_DOMAIN}") if mailbox else None
            contact = Contact(0, last_name, first_name, function, PhoneNumber(phone), email)
            ids.append(
                self.app.handle(
                    self._request(), AddContact(member_id=member_id, contact=contact)
                ).created_id
            )
        for role, contact_id in (
            (Interlocutor.LEGAL_REPRESENTATIVE, ids[0]),
            (Interlocutor.CSE, ids[1]),
        ):
            assert contact_id is not None
            self.app.handle(
                self._request(),
                AssignInterlocutor(member_id=member_id, role=role, contact_id=contact_id),
            )

    def _sign_mandate(self, member_id: UUID) -> None:
        signed_on = self.today - timedelta(days=self.rng.randint(300, 900))
        mandate = SepaMandate(
            reference=f"RUM-{DEMO_MEMBER_CODE}-{signed_on:%Y%m%d}-001",
            iban=make_french_iban(self.rng),
            signed_on=signed_on,
            debtor_name=DEMO_LEGAL_NAME,
            bic="BNPAFRPPXXX",
        )
        self.app.handle(self._request(), SignSepaMandate(member_id=member_id, mandate=mandate))

    # Employees -------------------------------------------------------------------------------

    def _hire(self, member_id: UUID, profile: Profile) -> Hire:
        identity = self._identity(profile)
        hire_date = self._hire_date(profile, identity.birth_date)
        result = self.app.handle(
            self._request(),
            HireEmployee(
                member_id=member_id,
                identity=identity,
                hire_date=hire_date,
                terms=self._terms(profile, identity.sex, hire_date),
            ),
        )
        return Hire(result.aggregate_id, profile, hire_date, identity.sex)

    def _identity(self, profile: Profile) -> Identity:
        rng = self.rng
        women_share = profile.job.women_share
        sex = profile.sex or (Sex.F if rng.random() < women_share else Sex.M)
        age = rng.randint(*profile.ages)
        birth_date = years_before(self.today, age) - timedelta(days=rng.randint(1, 360))
        first_name, birth_name = self._unique_name(sex)
        usage_name = None
        if sex is Sex.F and age >= 27 and rng.random() < 0.35:
            usage_name = rng.choice([name for name in SURNAMES if name != birth_name])
        return Identity(
            birth_name=birth_name,
            first_name=first_name,
            birth_date=birth_date,
            sex=sex,
            usage_name=usage_name,
            nir=self._unique_nir(sex, birth_date),
        )

    def _unique_name(self, sex: Sex) -> tuple[str, str]:
        first_names = WOMEN_FIRST_NAMES if sex is Sex.F else MEN_FIRST_NAMES
        while True:
            name = (self.rng.choice(first_names), self.rng.choice(SURNAMES))
            if name not in self.names:
                self.names.add(name)
                return name

    def _unique_nir(self, sex: Sex, birth_date: date) -> Nir:
        while True:
            number = make_nir(self.rng, sex, birth_date)
            if number.value not in self.nirs:
                self.nirs.add(number.value)
                return number

    def _hire_date(self, profile: Profile, birth_date: date) -> date:
        if profile.contract is ContractType.APPRENTICESHIP:
            return last_school_year_start(self.today)
        adult_days = (self.today - years_after(birth_date, 18)).days
        low, high = profile.hired_days_ago or (30, 12 * 365)
        days = min(self.rng.randint(low, high), max(adult_days, low))
        return self.today - timedelta(days=days)

    def _terms(self, profile: Profile, sex: Sex, hire_date: date) -> ContractTerms:
        job, contract = profile.job, profile.contract
        trial_end = planned_end = None
        if contract is ContractType.CDI:
            trial_end = hire_date + timedelta(days=60)
        elif contract is ContractType.APPRENTICESHIP:
            planned_end = years_after(hire_date, 2) - timedelta(days=1)
        elif profile.ends_in is not None:
            planned_end = self.today + timedelta(days=profile.ends_in)
        return ContractTerms(
            job_title=job.title(sex),
            contract_type=contract,
            pcs_code=PcsCode(job.pcs) if job.pcs else None,
            branch_code=f"{DEMO_MEMBER_CODE}-{profile.branch}" if profile.branch else None,
            trial_end=trial_end,
            planned_end=planned_end,
        )

    # Stories ---------------------------------------------------------------------------------

    def _tell_story(self, hire: Hire) -> None:
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
            self._request(),
            DeclareDeterminant(
                employee_id=hire.employee_id,
                determinant=determinant,
                started_on=started_on,
                note=note,
            ),
        )

    def _exposure(self, hire: Hire, agent: CmrAgent, **details: Any) -> int:
        result = self.app.handle(
            self._request(),
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
            self._request(),
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
            self._request(),
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
            self._request(),
            CloseContract(employee_id=hire.employee_id, last_day=last_day, reason=reason),
        )
        return last_day

    def _story_rehired(self, hire: Hire) -> None:
        """A seasonal saleswoman: her summer CDD ended last year, she is back on a CDI."""
        planned_end = hire.profile.ends_in or 0
        self.app.handle(
            self._request(),
            CloseContract(
                employee_id=hire.employee_id,
                last_day=self.today + timedelta(days=planned_end),
                reason=ExitReason.END_OF_FIXED_TERM,
            ),
        )
        rehired_on = self.today - timedelta(days=self.rng.randint(60, 150))
        permanent = replace(hire.profile, contract=ContractType.CDI)
        self.app.handle(
            self._request(),
            RehireEmployee(
                employee_id=hire.employee_id,
                hire_date=rehired_on,
                terms=self._terms(permanent, hire.sex, rehired_on),
            ),
        )


# Reading back -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Summary:
    """What the demo member looks like today."""

    member_code: str
    legal_name: str
    branch_codes: tuple[str, ...]
    employees: int
    active: int
    follow_up: dict[FollowUp, int]
    exposures: int
    current_exposures: int
    today: date


@dataclass(frozen=True, slots=True)
class SeedOutcome:
    """A demo member just created, with its summary; or the one found, named only (counting
    its employees would read every employee of the store at each start)."""

    member_code: str
    legal_name: str
    summary: Summary | None = None
    declarant_number: str | None = None

    @classmethod
    def found(cls, member: Member) -> "SeedOutcome":
        return cls(member.member_code, member.legal_name)


def store_is_empty(app: Registre) -> bool:
    return not app.recorder.max_notification_id()


def hired_employee_ids(app: Registre) -> list[UUID]:
    """Every employee ever hired in the store, in the order of the log."""
    log = app.notification_log
    ids: list[UUID] = []
    start: int | None = None
    while True:
        page = log.select(
            start, log.section_size, topics=[HIRED_TOPIC], inclusive_of_start=start is None
        )
        ids.extend(cast(UUID, notification.originator_id) for notification in page)
        if len(page) < log.section_size:
            return ids
        start = page[-1].id


def employees_of(app: Registre, member: Member) -> list[Employee]:
    employees = (app.employee(employee_id) for employee_id in hired_employee_ids(app))
    return [employee for employee in employees if employee.member_id == member.id]


def summarize(app: Registre, member: Member, today: date) -> Summary:
    employees = employees_of(app, member)
    active = [employee for employee in employees if employee.is_active_on(today)]
    categories = Counter(employee.follow_up_on(today).category for employee in active)
    exposures = [e for employee in employees for e in employee.exposures or () if not e.withdrawn]
    return Summary(
        member_code=member.member_code,
        legal_name=member.legal_name,
        branch_codes=tuple(branch.code(member.member_code) for branch in member.branches),
        employees=len(employees),
        active=len(active),
        follow_up={category: categories[category] for category in FollowUp},
        exposures=len(exposures),
        current_exposures=sum(1 for employee in active for _ in employee.exposures_on(today)),
        today=today,
    )


def seed_demo(
    app: Registre,
    *,
    employees: int = DEFAULT_EMPLOYEES,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
) -> SeedOutcome:
    """Create the demo member, unless its member code is already taken."""
    today = today or app.clock.today()
    existing = app.find_member(DEMO_MEMBER_CODE)
    if existing is not None:
        return SeedOutcome.found(existing)
    rng = random.Random(seed)  # noqa: S311 - demo data, not a secret
    member_id, declarant_number = DemoSeeder(app, rng, today).seed(employees)
    logger.info("seeded demo member %s with %d employees", DEMO_MEMBER_CODE, employees)
    summary = summarize(app, app.member(member_id), today)
    return SeedOutcome(
        summary.member_code, summary.legal_name, summary, declarant_number=declarant_number
    )


def existing_demo(app: Registre) -> SeedOutcome | None:
    member = app.find_member(DEMO_MEMBER_CODE)
    return None if member is None else SeedOutcome.found(member)


# Report ------------------------------------------------------------------------------------------


def report(outcome: SeedOutcome) -> list[str]:
    """The French lines printed for a person; never a NIR, nor any name of an employee."""
    summary = outcome.summary
    if summary is None:
        return [
            f"L'adhérent {outcome.member_code} (« {outcome.legal_name} ») existe déjà :"
            " rien n'a été créé."
        ]
    return [
        f"Adhérent de démonstration {summary.member_code} créé : « {summary.legal_name} ».",
        f"N° télédéclarant : {outcome.declarant_number} (affiché une seule fois : notez-le"
        f" pour créer le premier compte avec le code adhérent {summary.member_code}).",
        *_summary_lines(summary),
    ]


def _summary_lines(summary: Summary) -> list[str]:
    counts = summary.follow_up
    branches = ", ".join(summary.branch_codes) or "aucun"
    return [
        f"Établissements : {branches}.",
        f"Salariés : {summary.employees} enregistrés, {summary.active} actifs au"
        f" {summary.today:%d/%m/%Y}.",
        f"Suivi individuel des actifs : SI {counts[FollowUp.SI]}, SIA {counts[FollowUp.SIA]},"
        f" SIR {counts[FollowUp.SIR]}.",
        f"Expositions CMR : {summary.exposures} déclarées, {summary.current_exposures} en cours.",
    ]
