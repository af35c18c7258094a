"""Risks to suggest from the jobs of a member's employees (step 5 of the declaration).

Job titles are typed freely (« Boulangère », « aide-soignante de nuit »), so a keyword matches
the start of any word of the title, accents, case and punctuation aside; a PCS-ESE code matches
by prefix (« 431 » covers every nurse).
"""

import re
from collections.abc import Iterable
from typing import Final

from domain.catalogues.catalogue import Catalogues
from domain.catalogues.model import Risk
from domain.errors import InvalidValue
from domain.identifiers import PcsCode
from domain.search import search_key

_NOT_A_WORD: Final = re.compile(r"[^0-9a-z]+")


def word_key(text: str) -> str:
    """`search_key` with anything but letters and digits as a space: « Aide-soignante » and
    « aide soignante » give the same words."""
    return " ".join(_NOT_A_WORD.sub(" ", search_key(text)).split())


def suggest_risks(catalogues: Catalogues, jobs: Iterable[tuple[str, str | None]]) -> list[Risk]:
    """Risks suggested for the jobs (job title, PCS-ESE code or `None`), in catalogue order,
    each once.

    A malformed PCS-ESE code suggests nothing rather than failing: suggestions only help the
    employer, and the contract that holds the code is where it gets checked.
    """
    codes: set[str] = set()
    for title, pcs in jobs:
        title_key, pcs_code = word_key(title), _pcs_code(pcs)
        codes.update(
            rule.risk_code
            for rule in catalogues.risk_suggestions
            if rule.matches(title_key, pcs_code)
        )
    return [risk for risk in catalogues.risks if risk.code in codes]


def _pcs_code(raw: str | None) -> PcsCode | None:
    if raw is None or not raw.strip():
        return None
    try:
        return PcsCode(raw)
    except InvalidValue:
        return None
