"""Accounts: who signs in, their roles on each member, the sign-in mails."""

from api.accounts.access_mutations import AccessMutations
from api.accounts.queries import AccountQueries
from api.accounts.user_mutations import UserMutations
from application.accounts import commands
from application.accounts.reactions import AccessGrantedMail, IssuedPasswordMail, ServiceAccountMail
from contexts.context import Context
from domain.accounts.account import Account
from domain.accounts.email_claim import EmailClaim
from projections.accounts.accounts import Accounts
from projections.accounts.audit_summaries import SUMMARIES

ACCOUNTS = Context(
    name="accounts",
    aggregates=(Account, EmailClaim),
    commands=(commands,),
    read_models=(Accounts,),
    audit_summaries=SUMMARIES,
    reactions=(ServiceAccountMail, AccessGrantedMail, IssuedPasswordMail),
    queries=(AccountQueries,),
    mutations=(AccessMutations, UserMutations),
)
