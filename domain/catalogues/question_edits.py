"""Edits of the prevention questionnaire of step 4: questions added to a shipped theme, or
retired; what each edit records, once checked against the shipped catalogue and the edits made
so far."""

from collections.abc import Sequence

from domain.catalogues.edited import EditedCatalogue
from domain.catalogues.entries import (
    LONG_LABEL_LIMIT,
    CatalogueQuestion,
    CatalogueTheme,
    QuestionRef,
    ShippedCatalogue,
    catalogue_code,
    same,
    source_text,
    theme_of,
)
from domain.catalogues.question_kinds import QuestionKind, question_form
from domain.errors import NotFound, RuleViolation
from domain.text import SHOWN_CODE, required_text, shown


def new_prevention_question(  # noqa: PLR0917 (the question's fields)
    edited: EditedCatalogue,
    shipped: ShippedCatalogue,
    theme_code: str,
    question_id: str,
    label: str,
    kind: QuestionKind,
    required: bool,
    choices: Sequence[str],
    integer: bool,
    minimum: float | None,
    maximum: float | None,
    source: str,
) -> tuple[CatalogueQuestion, CatalogueTheme]:
    """A question at the end of a shipped theme, of the same form as the shipped ones
    (`domain.catalogues.question_kinds.question_form`). An id is never given twice in a theme,
    not even that of a retired question: answers are kept by id."""
    theme = theme_of(shipped, theme_code)
    question_id = catalogue_code(question_id, "question_id")
    label = required_text(label, "label", "Le libellé", LONG_LABEL_LIMIT)
    cleaned = question_form(kind, choices, integer, minimum, maximum)
    source = source_text(source)
    questions = edited.known_questions(theme)
    if question_id in questions:
        retired = " retirée" if edited.question_retired(theme.code, question_id) else ""
        raise RuleViolation(
            f"L'identifiant « {question_id} » est déjà celui d'une question{retired} du thème"
            f" « {theme.label} » : choisissez-en un autre.",
            code="DUPLICATE_QUESTION_ID",
            field="question_id",
        )
    for known_id, known_label in questions.items():
        if same(known_label, label) and not edited.question_retired(theme.code, known_id):
            raise RuleViolation(
                f"La question « {known_label} » est déjà posée dans le thème « {theme.label} ».",
                code="DUPLICATE_QUESTION",
                field="label",
            )
    question = CatalogueQuestion(
        theme.code,
        question_id,
        label,
        kind,
        required,
        cleaned,
        integer,
        None if minimum is None else float(minimum),
        None if maximum is None else float(maximum),
        source,
    )
    return question, theme


def prevention_question_to_retire(
    edited: EditedCatalogue, shipped: ShippedCatalogue, theme_code: str, question_id: str
) -> tuple[QuestionRef, CatalogueTheme]:
    """A theme keeps one question at least."""
    theme = theme_of(shipped, theme_code)
    questions = edited.known_questions(theme)
    if question_id not in questions:
        raise NotFound(
            f"La question « {shown(question_id, SHOWN_CODE)} » n'existe pas dans le thème"
            f" « {theme.label} ».",
            code="UNKNOWN_QUESTION",
            field="question_id",
        )
    label = questions[question_id]
    if edited.question_retired(theme.code, question_id):
        raise RuleViolation(
            f"La question « {label} » est déjà retirée du questionnaire.",
            code="QUESTION_ALREADY_RETIRED",
            field="question_id",
        )
    if [q for q in questions if not edited.question_retired(theme.code, q)] == [question_id]:
        raise RuleViolation(
            f"La question « {label} » est la dernière du thème « {theme.label} » : un thème"
            " garde au moins une question ; ajoutez d'abord celle qui la remplace.",
            code="LAST_QUESTION_OF_THEME",
            field="question_id",
        )
    return QuestionRef(theme.code, question_id), theme
