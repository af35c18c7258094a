"""Answers to a theme of the prevention information (step 4 of the declaration).

A member may save a theme half done and come back later, so checking what is given
(`check_answers`) and telling what is still missing (`missing_answers`) are separate: a theme is
complete when nothing is missing.
"""

import math
from collections.abc import Mapping
from typing import Final

from domain.catalogues.model import PreventionTheme, Question
from domain.catalogues.question_kinds import QuestionKind
from domain.declaration.steps import Answer
from domain.errors import InvalidValue
from domain.text import SHOWN_CODE, optional_text, shown
from domain.workforce.health import MAX_NOTE_LENGTH

_INVALID: Final = "INVALID_ANSWER"


def check_answers(theme: PreventionTheme, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """The answers checked and cleaned, in the order of the theme's questions.

    Texts are trimmed, whole numbers given as 3.0 become 3, a multiple choice keeps the order of
    its choices without repeats; a blank text or an empty selection is no answer and is left
    out. Raises `InvalidValue`, naming the question, for an unknown question, a value of the
    wrong type, out of range or not among the choices.
    """
    checked: dict[str, Answer] = {}
    for question_id, value in answers.items():
        question = theme.question(question_id)
        answer = _check(question, value)
        if answer is not None:
            checked[question.id] = answer
    return {q.id: checked[q.id] for q in theme.questions if q.id in checked}


def missing_answers(theme: PreventionTheme, answers: Mapping[str, object]) -> list[str]:
    """Ids of the required questions without an answer (absent, blank text, empty selection),
    in the order of the theme. `False` and `0` are answers."""
    return [
        question.id
        for question in theme.questions
        if question.required and _unanswered(answers.get(question.id))
    ]


def _unanswered(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return not value
    return value is None


def _check(question: Question, value: object) -> Answer | None:
    match question.kind:
        case QuestionKind.YES_NO:
            if not isinstance(value, bool):
                raise _refusal(question, "attend la réponse oui ou non")
            return value
        case QuestionKind.NUMBER:
            return _number(question, value)
        case QuestionKind.CHOICE:
            if not isinstance(value, str):
                raise _refusal(question, "attend un des choix proposés")
            return _choice(question, value) if value.strip() else None
        case QuestionKind.MULTI_CHOICE:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise _refusal(question, "attend une liste de choix")
            chosen = {_choice(question, v) for v in value}
            return [choice for choice in question.choices if choice in chosen] or None
        case QuestionKind.TEXT:
            if not isinstance(value, str):
                raise _refusal(question, "attend un texte")
            return _text(question, value.strip())


def _number(question: Question, value: object) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _refusal(question, "attend un nombre")
    if question.integer:
        if value != int(value):
            raise _refusal(question, "attend un nombre entier")
        value = int(value)
    low, high = question.minimum, question.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        raise InvalidValue(
            f"La réponse à la question « {question.label} » doit être {_bounds(low, high)}.",
            code="ANSWER_OUT_OF_RANGE",
            field=question.id,
        )
    return value


def _bounds(low: float | None, high: float | None) -> str:
    shown_low = None if low is None else _shown(low)
    shown_high = None if high is None else _shown(high)
    if shown_low and shown_high:
        return f"comprise entre {shown_low} et {shown_high}"
    return f"au moins {shown_low}" if shown_low else f"au plus {shown_high}"


def _shown(number: float) -> str:
    """A bound as French writes it: 1000000 as « 1 000 000 », 2.5 as « 2,5 »."""
    shown = f"{int(number):,}" if number == int(number) else f"{number:,}"
    return shown.replace(",", "\xa0").replace(".", ",")


def _choice(question: Question, value: str) -> str:
    if value not in question.choices:
        raise InvalidValue(
            f"« {shown(value, SHOWN_CODE)} » n'est pas un choix possible pour la question"
            f" « {question.label} » ; "
            f"choix possibles : {', '.join(question.choices)}.",
            code="NOT_A_CHOICE",
            field=question.id,
        )
    return value


def _text(question: Question, text: str) -> str | None:
    label = f"La réponse à la question « {question.label} »"
    return optional_text(
        text, question.id, label, MAX_NOTE_LENGTH, multiline=True, code="TEXT_TOO_LONG"
    )


def _refusal(question: Question, expected: str) -> InvalidValue:
    return InvalidValue(
        f"La question « {question.label} » {expected}.", code=_INVALID, field=question.id
    )
