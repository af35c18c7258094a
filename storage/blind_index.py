"""Keyed blind index: one-way tokens of personal values, so that a read model can find a person
by an exact value (a name's words, an e-mail) without storing the value itself.

A token is an HMAC-SHA-256 of the value under a key derived from the store's blind-index secret
(`storage.index_secret`: drawn once, kept wrapped by the master key, so tokens outlive a rotation
of the master key), bound to a purpose (tokens of names cannot be compared with tokens of e-mail
addresses). Without the master key, a token says nothing; once a person's identity key is
destroyed, the read models drop the person's tokens with the rest of the identity. Values are
compared as `domain.search.search_key` folds them (case, accents, spacing), so "Éloïse" finds
"eloise".
"""

import hashlib
import hmac

from domain.search import search_key

TOKEN_BYTES = 16
"""128 bits: no collision among the values of a service, half the room of a full digest."""


class BlindIndex:
    def __init__(self, secret: bytes):
        self._key = hmac.digest(secret, b"blind index", "sha256")

    def token(self, purpose: str, value: str) -> str:
        """The token of `value` for `purpose` (hexadecimal)."""
        return self._token_of_key(purpose, search_key(value))

    def prefix_tokens(self, purpose: str, word: str, shortest: int) -> list[str]:
        """The tokens of `word`'s prefixes of `shortest` letters and more (`word` itself
        included), each what `token` gives."""
        lengths = range(min(shortest, len(word)), len(word) + 1)
        if word.isascii() and search_key(word) == word:  # its prefixes are folded already
            return [self._token_of_key(purpose, word[:length]) for length in lengths]
        return [self.token(purpose, word[:length]) for length in lengths]

    def _token_of_key(self, purpose: str, key: str) -> str:
        message = f"{purpose}\x00{key}".encode()
        return hmac.digest(self._key, message, hashlib.sha256)[:TOKEN_BYTES].hex()
