"""The staff of the demo bakery: names, posts, the profiles to hire, their contract terms."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from cli.demo.bakery import DEMO_MEMBER_CODE
from domain.identifiers import PcsCode
from domain.workforce.employment import ContractTerms, ContractType, Sex

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


# Contracts --------------------------------------------------------------------------------------


def contract_terms(profile: Profile, sex: Sex, hire_date: date, today: date) -> ContractTerms:
    job, contract = profile.job, profile.contract
    trial_end = planned_end = None
    if contract is ContractType.CDI:
        trial_end = hire_date + timedelta(days=60)
    elif contract is ContractType.APPRENTICESHIP:
        planned_end = years_after(hire_date, 2) - timedelta(days=1)
    elif profile.ends_in is not None:
        planned_end = today + timedelta(days=profile.ends_in)
    return ContractTerms(
        job_title=job.title(sex),
        contract_type=contract,
        pcs_code=PcsCode(job.pcs) if job.pcs else None,
        branch_code=f"{DEMO_MEMBER_CODE}-{profile.branch}" if profile.branch else None,
        trial_end=trial_end,
        planned_end=planned_end,
    )
