"""Audit summaries come from the events alone: a rebuild after a change of the shipped data files
gives byte-identical rows, and the events recorded before they carried labels keep the labels
they always showed (`projections.catalogues.former_labels`).
"""

import csv
import io
import json
import shutil
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import Notification

from application.catalogues import commands as catalogue_commands
from application.catalogues import loader
from application.registre import Registre
from contexts import AUDIT_TRAIL
from domain.catalogues.catalogue import Catalogues
from domain.declaration.declaration import Declaration
from projections.runner import ProjectionRunner
from projections.store import ReadStore, Row
from storage import codec
from storage.settings import StoreSettings
from tests.integration.test_audit_trail import play

RENAMED = "Libellé changé depuis : "


def renamed_copy(folder: Path) -> Path:
    """A copy of the shipped data files where every risk and every prevention theme has a new
    label."""
    shutil.copytree(str(resources.files("application.catalogues.data")), folder)
    risks = folder / "risks.csv"
    rows = list(csv.DictReader(io.StringIO(risks.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows([row | {"label": RENAMED + row["label"]} for row in rows])
    risks.write_text(out.getvalue(), encoding="utf-8")
    questionnaire = folder / "prevention_questionnaire.json"
    data = json.loads(questionnaire.read_text(encoding="utf-8"))
    for theme in data["themes"]:
        theme["label"] = RENAMED + theme["label"]
    questionnaire.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture
def shipped_files_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Catalogues]:
    """From now on every module that takes the shipped catalogues gets the renamed copy."""
    changed = loader.load_catalogues(renamed_copy(tmp_path / "data"))
    original = loader.default_catalogues
    for module in list(sys.modules.values()):
        if getattr(module, "default_catalogues", None) is original:
            monkeypatch.setattr(module, "default_catalogues", lambda: changed)
    catalogue_commands.shipped.cache_clear()
    yield changed
    catalogue_commands.shipped.cache_clear()


def audit_rows(read_store: ReadStore, generation: int) -> list[Row]:
    return read_store.read(f"SELECT * FROM audit_g{generation}_entries ORDER BY position")


def test_a_rebuild_after_the_data_files_changed_gives_byte_identical_summaries(
    app: Registre, store: StoreSettings, request: pytest.FixtureRequest
) -> None:
    play(app)
    read_store = ReadStore.open(store)
    try:
        runner = ProjectionRunner(app, read_store, [AUDIT_TRAIL], batch_size=50)
        runner.setup()
        runner.catch_up()
        before = audit_rows(read_store, 1)
        summaries = {row[6]: row[10] for row in reversed(before)}  # the first

        changed: Catalogues = request.getfixturevalue("shipped_files_changed")
        assert loader.default_catalogues() is changed
        assert app.catalogue().risk("manual_handling").label.startswith(RENAMED)

        assert runner.rebuild("audit") == 2
        assert audit_rows(read_store, 2) == before
    finally:
        read_store.close()
    assert summaries["RiskAdded"] == "Risque ajouté : Manutention de charges"
    assert summaries["PreventionAnswered"] == (
        "Informations de prévention : thème « Activité de l'entreprise »"
    )


def test_a_risk_and_a_theme_are_named_with_the_label_recorded_in_their_event(
    app: Registre, store: StoreSettings, shipped_files_changed: Catalogues
) -> None:
    """Events recorded after a data change name the new labels: the event says what the
    member saw."""
    play(app)
    read_store = ReadStore.open(store)
    try:
        runner = ProjectionRunner(app, read_store, [AUDIT_TRAIL])
        runner.setup()
        runner.catch_up()
        summaries = {row[6]: row[10] for row in reversed(audit_rows(read_store, 1))}
    finally:
        read_store.close()
    assert summaries["RiskAdded"] == f"Risque ajouté : {RENAMED}Manutention de charges"
    assert summaries["CataloguePreventionQuestionAdded"].startswith(
        f"Question obligatoire ajoutée au thème « {RENAMED}Activité de l'entreprise » :"
    )


def without(notification: Notification, field: str, **changed: Any) -> Notification:
    """The notification as it was stored before its event carried `field`."""
    state = codec.decode(notification.state)
    assert field in state
    del state[field]
    state.update(changed)
    return Notification(
        originator_id=notification.originator_id,
        originator_version=notification.originator_version,
        topic=notification.topic,
        state=codec.encode(state),
        id=notification.id,
    )


def test_events_stored_without_labels_show_the_labels_frozen_then(
    app: Registre, shipped_files_changed: Catalogues
) -> None:
    play(app)
    notifications = app.select_notifications(1, 10_000)
    by_name = {n.topic.rpartition(".")[2]: n for n in reversed(notifications)}  # the first
    legacy: dict[str, Any] = {
        name: app.decode(without(by_name[name], field))
        for name, field in (
            ("RiskAdded", "risk_label"),
            ("RiskDeclined", "risk_label"),
            ("PreventionAnswered", "theme_label"),
            ("CataloguePreventionQuestionAdded", "theme_label"),
        )
    }

    assert AUDIT_TRAIL.summary_of(legacy["RiskAdded"]) == "Risque ajouté : Manutention de charges"
    assert AUDIT_TRAIL.summary_of(legacy["RiskDeclined"]) == (
        "Risque suggéré décliné : Travail sur écran / de bureau"
    )
    assert AUDIT_TRAIL.summary_of(legacy["PreventionAnswered"]) == (
        "Informations de prévention : thème « Activité de l'entreprise »"
    )
    assert "« Activité de l'entreprise »" in AUDIT_TRAIL.summary_of(
        legacy["CataloguePreventionQuestionAdded"]
    )
    added = legacy["RiskAdded"]
    before = app.aggregate_at(added.originator_id, added.originator_version - 1)
    declaration = added.mutate(before)  # an aggregate still replays such an event
    assert isinstance(declaration, Declaration)
    assert added.risk_code in declaration.risks


def test_a_code_no_label_was_ever_known_for_is_shown_as_it_is(app: Registre) -> None:
    play(app)
    added = next(n for n in app.select_notifications(1, 10_000) if n.topic.endswith(".RiskAdded"))
    event = app.decode(without(added, "risk_label", risk_code="added_by_the_service"))

    assert AUDIT_TRAIL.summary_of(event) == "Risque ajouté : added_by_the_service"
