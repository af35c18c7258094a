"""The branches (établissements) of a member: the rules, over the branches it has.

The `Member` aggregate records the changes (`BranchOpened`, `BranchChanged`, `BranchClosed`);
what may change is decided here, on the tuple of its branches.
"""

from dataclasses import replace
from datetime import date

from domain.address import Address
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.identifiers import Siret
from domain.members.organisation import Branch
from domain.text import shown

Branches = tuple[Branch, ...]


def new_branch(
    branches: Branches, name: str, address: Address, siret: Siret | None, *, company: Siret | None
) -> Branch:
    """Branches are numbered from 2 (the member's own code has no suffix), closed ones count.
    `company` is the member's SIRET, whose SIREN the branch's must share."""
    return _of_company(Branch(2 + len(branches), name, address, siret).validated(), company)


def changed_branch(
    branches: Branches,
    number: int,
    name: str,
    address: Address,
    siret: Siret | None,
    *,
    company: Siret | None,
) -> Branch | None:
    """The open branch `number` as changed, or None when nothing changes."""
    current = open_branch(branches, number)
    branch = _of_company(Branch(number, name, address, siret).validated(), company)
    return None if branch == current else branch


def _of_company(branch: Branch, company: Siret | None) -> Branch:
    """A branch (établissement) belongs to the member's company: its SIRET begins with the
    member's SIREN."""
    if branch.siret is not None and company is not None and branch.siret.siren != company.siren:
        raise InvalidValue(
            "Le SIRET d'un établissement commence par le SIREN de l'adhérent"
            f" ({company.siren}) : celui-ci est le SIRET d'une autre entreprise.",
            code="BRANCH_OF_ANOTHER_COMPANY",
            field="siret",
        )
    return branch


def branch_of(branches: Branches, number: int) -> Branch:
    for branch in branches:
        if branch.number == number:
            return branch
    raise NotFound("Cet établissement n'existe pas.", code="BRANCH_NOT_FOUND")


def open_branch(branches: Branches, number: int) -> Branch:
    branch = branch_of(branches, number)
    if branch.closed_on is not None:
        raise RuleViolation("Cet établissement est fermé.", code="BRANCH_CLOSED")
    return branch


def check_open_code(branches: Branches, member_code: str, code: str) -> None:
    for branch in branches:
        if branch.code(member_code) == code and branch.closed_on is None:
            return
    raise NotFound(
        f"L'établissement « {shown(code, 20)} » n'existe pas ou est fermé.",
        code="BRANCH_NOT_FOUND",
        field="branch_code",
    )


def with_branch(branches: Branches, branch: Branch) -> Branches:
    """`branch` put in the place of the branch with its number."""
    return tuple(branch if b.number == branch.number else b for b in branches)


def closed(branches: Branches, number: int, last_day: date) -> Branches:
    return tuple(replace(b, closed_on=last_day) if b.number == number else b for b in branches)
