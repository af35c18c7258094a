"""Every read model, by name: what the runner follows and what `registre projections` knows."""

from projections.accounts import Accounts
from projections.audit import AuditTrail
from projections.declarations import Declarations
from projections.exposures import CmrExposures
from projections.members import MemberDirectory
from projections.model import ReadModel
from projections.workforce import Workforce

ALL_READ_MODELS: list[type[ReadModel]] = [
    MemberDirectory,
    Workforce,
    CmrExposures,
    AuditTrail,
    Accounts,
    Declarations,
]
