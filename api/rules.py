"""Rules shared by the operations of several contexts (each context keeps its own beside its
operations, e.g. `api/workforce/rules.py`)."""

from api.authorization import Rule
from domain.accounts.access import Right

SERVICE = Rule(Right.ADMINISTER_SERVICE)
