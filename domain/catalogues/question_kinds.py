"""The form of a question of the prevention questionnaire (step 4 of the declaration).

The questions ship in a data file (`application.catalogues.data`) and the service's staff may add
some
(`domain.catalogues.edits`): both are held to the same rules here, so that a question added by
the service can be answered exactly like a shipped one (`domain.catalogues.questionnaire`).
"""

import enum
import math
from collections.abc import Iterable
from typing import Final

from domain.errors import InvalidValue
from domain.text import optional_text

CHOICE_LIMIT: Final = 120
MAX_CHOICES: Final = 50


class QuestionKind(enum.Enum):
    """How a question of the prevention questionnaire is answered."""

    YES_NO = "yes_no"
    NUMBER = "number"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    TEXT = "text"


CHOICE_KINDS: Final = frozenset({QuestionKind.CHOICE, QuestionKind.MULTI_CHOICE})


def question_form(
    kind: QuestionKind,
    choices: Iterable[str],
    integer: bool,
    minimum: float | None,
    maximum: float | None,
) -> tuple[str, ...]:
    """The choices of a question, spacing cleaned, when its form holds together: at least two
    choices, distinct (case and spacing aside) and not blank, for the choice kinds and for them
    only; `integer`, `minimum` and `maximum` for numbers only, finite, the minimum not above the
    maximum. Raises `InvalidValue` naming the faulty field otherwise."""
    cleaned = tuple(
        optional_text(choice, "choices", "Un choix", CHOICE_LIMIT, code="INVALID_CHOICES") or ""
        for choice in choices
    )
    choice_kind = kind in CHOICE_KINDS
    if choice_kind != bool(cleaned):
        raise InvalidValue(
            "Les choix vont aux questions à choix (un choix ou plusieurs), et à elles seules.",
            code="CHOICES_MISPLACED",
            field="choices",
        )
    if "" in cleaned or len({choice.casefold() for choice in cleaned}) != len(cleaned):
        raise InvalidValue(
            "Les choix proposés sont distincts et non vides.",
            code="INVALID_CHOICES",
            field="choices",
        )
    if choice_kind and len(cleaned) < 2:
        raise InvalidValue(
            "Une question à choix propose au moins deux choix.",
            code="TOO_FEW_CHOICES",
            field="choices",
        )
    if len(cleaned) > MAX_CHOICES:
        raise InvalidValue(
            f"Une question propose au plus {MAX_CHOICES} choix.",
            code="INVALID_CHOICES",
            field="choices",
        )
    if kind is not QuestionKind.NUMBER and (integer or (minimum, maximum) != (None, None)):
        raise InvalidValue(
            "« Nombre entier », minimum et maximum vont aux nombres seulement.",
            code="NUMBER_OPTIONS_MISPLACED",
            field="integer" if integer else "min" if minimum is not None else "max",
        )
    for bound, field in ((minimum, "min"), (maximum, "max")):
        if bound is not None and not math.isfinite(bound):
            raise InvalidValue(
                "Le minimum et le maximum sont des nombres finis.",
                code="INVALID_BOUNDS",
                field=field,
            )
    if minimum is not None and maximum is not None and minimum > maximum:
        raise InvalidValue("Le minimum dépasse le maximum.", code="INVALID_BOUNDS", field="max")
    return cleaned
