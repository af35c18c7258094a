"""Throttling of the public operations of access, checked and counted in one atomic step.

An attempt that checks a secret is counted as a failure *before* the check: a burst of
simultaneous guesses gets no more checks than the policy allows one after the other. A success
gives back what it was counted.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from application.accounts.access_store import AccessStore
from domain.accounts.throttling import ACCOUNT_POLICY, ADDRESS_POLICY, MAIL_POLICY
from domain.calendar import Clock


@dataclass(frozen=True, slots=True)
class Attempt:
    """An attempt counted as a failure on its keys, until it turns out otherwise."""

    store: AccessStore
    counts: Mapping[str, int]
    subject: str | None
    """The key whose earlier failures a success forgets (an account, a member's postal pair)."""

    def succeeded(self) -> None:
        """The right secret: the subject's failures up to this attempt are forgotten (not those
        of attempts counted since); the address takes back this attempt only."""
        self.store.release(
            {key: count if key == self.subject else 1 for key, count in self.counts.items()}
        )

    def withdrawn(self) -> None:
        """Refused for another reason than a wrong secret: the attempt counts for nothing."""
        self.store.release(dict.fromkeys(self.counts, 1))


class Throttle:
    def __init__(self, store: AccessStore, clock: Clock):
        self.store = store
        self.clock = clock

    def attempt(self, address: str, subject: str | None = None) -> Attempt:
        """An attempt from `address` on `subject` (a key such as `email:…`): refused with
        `TooManyAttempts` when either has failed too often lately, else counted on both."""
        counted = {} if subject is None else {subject: ACCOUNT_POLICY}
        counted[_address_key(address)] = ADDRESS_POLICY
        return Attempt(self.store, self.store.claim(counted, {}, self.clock.now()), subject)

    def mail(self, key: str, address: str) -> None:
        """A mail of a code or a link to the address of `key`: a few, then none for a while."""
        self.store.claim(
            {key: MAIL_POLICY}, {_address_key(address): ADDRESS_POLICY}, self.clock.now()
        )


def _address_key(address: str) -> str:
    return f"address:{address}"
