"""Plausible dates of a person's working life: a birth no earlier than `OLDEST_AGE` years ago,
an age at hire from `MIN_WORKING_AGE` to `MAX_AGE_AT_HIRE`. How far ahead a date may lie is the
shared kernel's (`domain.plausible_dates`); "today" is the command's day there."""

from datetime import date

from domain.errors import InvalidValue, RuleViolation
from domain.plausible_dates import command_day, years_after
from domain.workforce.follow_up import age_on

MIN_WORKING_AGE = 14
"""Code du travail L4153-1: no one is employed before 16, but L4153-3 lets a young person of 14
work during school holidays (light work), and apprentices and pupils in alternance start at 15:
14 is the youngest lawful age at hire."""
MAX_AGE_AT_HIRE = 80
OLDEST_AGE = 120
"""No birth date earlier than this many years before today."""


def check_birth_date(
    birth_date: date, hire_dates: tuple[date, ...], today: date | None = None
) -> None:
    """A birth no earlier than `OLDEST_AGE` years ago, and an age from `MIN_WORKING_AGE` to
    `MAX_AGE_AT_HIRE` at each hire."""
    earliest = years_after(today or command_day(), -OLDEST_AGE)
    if birth_date < earliest:
        raise InvalidValue(
            f"Cette date de naissance n'est pas plausible : elle ne peut précéder le"
            f" {earliest:%d/%m/%Y} ({OLDEST_AGE} ans avant aujourd'hui).",
            code="IMPLAUSIBLE_BIRTH_DATE",
            field="birth_date",
        )
    for hire_date in hire_dates:
        age = age_on(birth_date, hire_date) if birth_date < hire_date else -1
        if not MIN_WORKING_AGE <= age <= MAX_AGE_AT_HIRE:
            raise RuleViolation(
                f"Un salarié doit avoir de {MIN_WORKING_AGE} à {MAX_AGE_AT_HIRE} ans à"
                " l'embauche : vérifiez la date de naissance et la date d'embauche.",
                code="IMPLAUSIBLE_BIRTH_DATE",
                field="birth_date",
            )
