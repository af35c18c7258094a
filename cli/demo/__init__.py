"""Demo data: a bakery member and its workforce, created through the application commands only.

Deterministic for a given seed and a given day (dates are relative to today, in Paris), except
the declarant number and the request ids, which are fresh on every run. Identifiers are valid:
SIRET and SIREN with their Luhn keys, the VAT number from the SIREN, an IBAN with its RIB key
and check digits, NIRs consistent with sex and birth date with their key.
"""

import logging
import random
from datetime import date

from application.registre import Registre
from cli.demo.bakery import DEMO_LEGAL_NAME, DEMO_MEMBER_CODE, DEMO_USER
from cli.demo.seeder import DemoSeeder
from cli.demo.summary import (
    SeedOutcome,
    Summary,
    employees_of,
    hired_employee_ids,
    report,
    store_is_empty,
    summarize,
)

__all__ = [
    "DEFAULT_EMPLOYEES",
    "DEFAULT_SEED",
    "DEMO_LEGAL_NAME",
    "DEMO_MEMBER_CODE",
    "DEMO_USER",
    "SeedOutcome",
    "Summary",
    "employees_of",
    "existing_demo",
    "hired_employee_ids",
    "report",
    "seed_demo",
    "store_is_empty",
    "summarize",
]

logger = logging.getLogger(__name__)

DEFAULT_EMPLOYEES = 50
DEFAULT_SEED = 10


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
