"""The store's last line (`storage.mapper`): an event holding a text no store can hold (NUL, which
PostgreSQL's text refuses) in a field no command checks is refused with a typed error naming the
field, sealed personal data included, and nothing is recorded; on both stores."""

from typing import ClassVar

import pytest
from eventsourcing.domain import Aggregate, event

from application.registre import Registre
from domain.errors import InvalidValue
from domain.personal_data import DataCategory, PersonalData


class Note(Aggregate):
    """An aggregate of this test only, whose event holds texts no command checked."""

    personal_data: ClassVar[PersonalData] = {"secret": DataCategory.IDENTITY}

    @event("Written")
    def __init__(self, text: str, secret: str) -> None:
        self.text = text
        self.secret = secret


@pytest.mark.parametrize(
    ("note", "field"),
    [
        pytest.param(("Poi\x00son", "Martin"), "text", id="in-a-plain-field"),
        pytest.param(("Poison", "Mar\x00tin"), "secret", id="in-a-sealed-field"),
    ],
)
def test_an_event_with_nul_is_refused_and_nothing_is_recorded(
    app: Registre, note: tuple[str, str], field: str
) -> None:
    before = app.recorder.max_notification_id() or 0

    with pytest.raises(InvalidValue) as error:
        app.save(Note(*note))

    assert (error.value.code, error.value.field) == ("INVALID_TEXT", field)
    assert "Poi" not in error.value.message
    assert "Mar" not in error.value.message
    assert (app.recorder.max_notification_id() or 0) == before
    app.save(Note("Poison", "Martin"))
    assert (app.recorder.max_notification_id() or 0) == before + 1
