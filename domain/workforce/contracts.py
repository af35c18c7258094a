"""The contracts of an employee: the rules, over the contracts it has.

The `Employee` aggregate records the changes (`ContractAmended`, `ContractClosed`, `Rehired`…);
what may change is decided here, on the tuple of its contracts (the latest last). The checks of
the birth date against the hire dates stay with the aggregate, which holds the identity.
"""

from datetime import date

from domain.errors import InvalidValue, RuleViolation
from domain.plausible_dates import check_end, check_start
from domain.workforce.employment import Contract, ContractTerms, TermsAmendment, TermsPeriod

Contracts = tuple[Contract, ...]


def new_contract(number: int, hire_date: date, terms: ContractTerms) -> Contract:
    terms = terms.validated(hire_date)
    return Contract(number, hire_date, (TermsPeriod(hire_date, terms),))


def open_contract(contracts: Contracts) -> Contract:
    """The latest contract, refused once closed."""
    contract = contracts[-1]
    if contract.closed_on is not None:
        raise RuleViolation(
            "Le contrat de ce salarié est déjà clôturé.", code="CONTRACT_ALREADY_CLOSED"
        )
    return contract


def amended_terms(
    contract: Contract, terms: ContractTerms | TermsAmendment, effective_on: date
) -> ContractTerms:
    """The terms in force from `effective_on`: all of them, or those an amendment gives (the
    others stay as they were in force on that day)."""
    if effective_on < contract.hire_date:
        raise RuleViolation(
            "Une modification du contrat ne peut prendre effet avant l'embauche.",
            code="EFFECTIVE_BEFORE_HIRE",
            field="effective_on",
        )
    check_start(effective_on, "effective_on")
    if isinstance(terms, TermsAmendment):
        terms = terms.applied_to(contract.terms_on(effective_on))
    terms = terms.validated(contract.hire_date)
    if terms.planned_end is not None and terms.planned_end < effective_on:
        raise InvalidValue(
            "La date de fin prévue ne peut précéder la date d'effet de la modification.",
            code="INVALID_CONTRACT_END",
            field="planned_end",
        )
    return terms


def check_corrected_hire(contracts: Contracts, hire_date: date) -> None:
    """The latest contract's hire date may move, neither onto the contract before nor past its
    own exit."""
    contract = contracts[-1]
    previous = contracts[-2] if len(contracts) > 1 else None
    if previous is not None and (previous.last_day() or hire_date) >= hire_date:
        raise RuleViolation(
            "La date d'embauche corrigée chevauche le contrat précédent.",
            code="CONTRACTS_OVERLAP",
            field="hire_date",
        )
    if contract.closed_on is not None and contract.closed_on < hire_date:
        raise RuleViolation(
            "La date d'embauche ne peut suivre la date de sortie.",
            code="HIRE_AFTER_EXIT",
            field="hire_date",
        )
    check_start(hire_date, "hire_date")


def check_exit(contract: Contract, last_day: date) -> None:
    if last_day < contract.hire_date:
        raise RuleViolation(
            "La date de sortie ne peut précéder la date d'embauche.",
            code="EXIT_BEFORE_HIRE",
            field="last_day",
        )
    check_end(last_day, "last_day")


def check_rehire(contracts: Contracts, hire_date: date) -> None:
    """A rehire follows the end of the latest contract."""
    last_day = contracts[-1].last_day()
    if last_day is None or last_day >= hire_date:
        raise RuleViolation(
            "Le salarié a encore un contrat en cours à cette date : clôturez-le avant de le"
            " réembaucher.",
            code="CONTRACT_STILL_OPEN",
            field="hire_date",
        )
    check_start(hire_date, "hire_date")


def check_not_before_hire(contracts: Contracts, started_on: date) -> None:
    """A health record starts on or after the first hire."""
    check_start(started_on, "started_on")
    if started_on < contracts[0].hire_date:
        raise RuleViolation(
            "Cette date précède l'embauche du salarié.",
            code="DATE_BEFORE_HIRE",
            field="started_on",
        )


def contract_of(contracts: Contracts, number: int) -> Contract:
    return next(c for c in contracts if c.number == number)


def with_contract(contracts: Contracts, contract: Contract) -> Contracts:
    """`contract` in place of the one of its number."""
    return tuple(contract if c.number == contract.number else c for c in contracts)
