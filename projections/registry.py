"""Every read model, by name: what the runner follows and what `registre projections` knows."""

from projections.accounts.accounts import Accounts
from projections.audit import AuditTrail
from projections.declaration.declarations import Declarations
from projections.members.members import MemberDirectory
from projections.model import ReadModel
from projections.workforce.exposures import CmrExposures
from projections.workforce.workforce import Workforce

ALL_READ_MODELS: list[type[ReadModel]] = [
    MemberDirectory,
    Workforce,
    CmrExposures,
    AuditTrail,
    Accounts,
    Declarations,
]
