"""Finding an account by its login e-mail, and keeping each address to one account.

An address is claimed by its account (`EmailClaim`, named by the address's keyed token), in the
transaction that opens the account: two accounts opened for one address at the same moment make
the same claim, and the store saves only one of them. Accounts opened before claims existed have
the id of their address (`account_id_of`) and no claim: they are found by that id.
"""

from itertools import count
from uuid import UUID, uuid4

from application.base import RegistreApplication
from domain.accounts.account import Account, account_id_of
from domain.accounts.email_claim import EMAIL_PURPOSE, EmailClaim, claim_id_of
from domain.contact_details import Email
from domain.errors import RuleViolation


def held_claim(app: RegistreApplication, email: Email) -> tuple[EmailClaim | None, UUID]:
    """The claim holding the address (None when it is free), and the id of the claim a new
    account would make of it."""
    token = app.blind_index.token(EMAIL_PURPOSE, str(email))
    for generation in count():
        claim_id = claim_id_of(token, generation)
        claim = app.find(EmailClaim, claim_id)
        if claim is None:
            return None, claim_id
        if claim.holder is not None:
            return claim, claim_id
    raise AssertionError  # pragma: no cover (count() never ends)


def find_account(app: RegistreApplication, email: Email) -> Account | None:
    """The account that signs in with this address; None when there is none, or it was closed
    (the address stays taken until the account is erased)."""
    claim, _ = held_claim(app, email)
    account = _live(app, account_id_of(email) if claim is None else claim.holder)
    return None if account is None or account.closed_on is not None else account


def _live(app: RegistreApplication, account_id: UUID | None) -> Account | None:
    if account_id is None:
        return None
    account = app.find(Account, account_id)
    return None if account is None or account.erased else account


def claim_new_account(
    app: RegistreApplication, email: Email, taken: RuleViolation, account_id: UUID | None = None
) -> tuple[UUID, EmailClaim]:
    """The id of a new account for this address (`account_id`, or drawn at random), and the claim
    to save with it; `taken` when the address already has an account."""
    claim, claim_id = held_claim(app, email)
    if _live(app, account_id_of(email) if claim is None else claim.holder) is not None:
        raise taken.fresh()
    new_id = account_id or uuid4()
    return new_id, EmailClaim.claim(claim_id, new_id)


def release_claim(app: RegistreApplication, account: Account) -> EmailClaim | None:
    """The claim of an account being erased, released (None for an account without one)."""
    if account.email is None:
        return None
    claim, _ = held_claim(app, account.email)
    if claim is None or claim.holder != account.id:
        return None
    claim.release()
    return claim
