"""Hashing of secrets that only need checking (the declarant number sent by post)."""

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.members.membership import DECLARANT_NUMBER_DIGITS

_hasher = PasswordHasher()


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret.strip())


def verify_secret(secret_hash: str, candidate: str) -> bool:
    try:
        return _hasher.verify(secret_hash, candidate.strip())
    except (VerificationError, InvalidHashError):
        return False


def new_declarant_number() -> str:
    """A fresh numéro télédéclarant, to be sent by post."""
    return "".join(secrets.choice("0123456789") for _ in range(DECLARANT_NUMBER_DIGITS))


@cache
def decoy_hash() -> str:
    """The hash of a random secret nobody knows, checked against when there is nothing to check
    (an unknown member code, an account without password): every refusal then takes as long.
    Made on first use, not when the module is imported."""
    return hash_secret(secrets.token_urlsafe(16))
