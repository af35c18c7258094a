"""The seeder: the demo member and its employees, created through the application commands."""

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

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
from application.workforce.commands import HireEmployee
from cli.demo.bakery import (
    BILLING,
    BRANCHES,
    CONTACTS,
    CONVOCATION,
    DEMO_LEGAL_NAME,
    DEMO_MEMBER_CODE,
    MAIL_DOMAIN,
    WORKSITE,
    demo_request,
)
from cli.demo.identifiers import make_french_iban, make_nir, make_siren, make_siret
from cli.demo.staff import (
    MEN_FIRST_NAMES,
    SURNAMES,
    WOMEN_FIRST_NAMES,
    Profile,
    contract_terms,
    last_school_year_start,
    staffing_plan,
    years_after,
    years_before,
)
from cli.demo.stories import Hire, Stories
from domain.actor import SYSTEM
from domain.contact_details import Email, PhoneNumber
from domain.identifiers import Nir, Siren
from domain.members.organisation import AddressKind, Contact, Interlocutor, SepaMandate
from domain.workforce.employment import ContractType, Identity, Sex


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
        stories = Stories(self.app, self.rng, self.today)
        for profile in staffing_plan(self.rng, employees):
            stories.tell(self._hire(member_id, profile))
        return member_id, declarant_number

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
            demo_request(),
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
                demo_request(), ChangeAddress(member_id=member_id, kind=kind, address=address)
            )
        for number, (name, address) in enumerate(BRANCHES, start=2):
            siret = make_siret(self.siren, number)
            self.app.handle(
                demo_request(),
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
                    demo_request(), AddContact(member_id=member_id, contact=contact)
                ).created_id
            )
        for role, contact_id in (
            (Interlocutor.LEGAL_REPRESENTATIVE, ids[0]),
            (Interlocutor.CSE, ids[1]),
        ):
            assert contact_id is not None
            self.app.handle(
                demo_request(),
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
        self.app.handle(demo_request(), SignSepaMandate(member_id=member_id, mandate=mandate))

    # Employees -------------------------------------------------------------------------------

    def _hire(self, member_id: UUID, profile: Profile) -> Hire:
        identity = self._identity(profile)
        hire_date = self._hire_date(profile, identity.birth_date)
        result = self.app.handle(
            demo_request(),
            HireEmployee(
                member_id=member_id,
                identity=identity,
                hire_date=hire_date,
                terms=contract_terms(profile, identity.sex, hire_date, self.today),
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
