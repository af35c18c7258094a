"""Each read model of `READ_MODELS` rebuilt alone (a runner of that model only, in a fresh
application: no event decoded for another model, no aggregate folded by another) holds the rows
that the catch-up of all of them together gave, for a history that emits every event class of
every aggregate (visits, billing, declarations and catalogue edits included, which the
property of `test_rebuild_equivalence` does not draw)."""

from collections.abc import Callable
from pprint import pformat

from application.registre import Registre
from contexts import READ_MODELS
from projections.runner import ProjectionRunner
from projections.store import ReadStore
from tests.integration.test_event_round_trip import every_event
from tests.integration.test_projection_robustness import a_member, follow_up, hire
from tests.integration.test_rebuild_equivalence import differences, read_tables


def test_each_read_model_rebuilt_alone_equals_the_catch_up_of_all_together(
    app: Registre, read_store: ReadStore, open_app: Callable[[], Registre]
) -> None:
    live = ProjectionRunner(app, read_store, READ_MODELS, batch_size=7)
    live.setup()
    member_id = a_member(app, 7)
    employees = [hire(app, member_id, n) for n in range(12)]
    live.catch_up()
    for k, employee_id in enumerate(employees):
        follow_up(app, employee_id, k)
    live.catch_up()
    every_event(app)
    live.catch_up()
    head = app.max_notification_id()
    assert {s.name: s.position for s in live.status()} == {m.name: head for m in READ_MODELS}
    assert live.failures() == []
    live_generations = live.active_generations()
    live_tables = read_tables(read_store, live_generations)

    rebuilt_generations = {}
    for model in READ_MODELS:
        alone = ProjectionRunner(open_app(), read_store, [model], batch_size=5)
        rebuilt_generations[model.name] = alone.rebuild(model.name)
        assert alone.failures() == [], model.name
    rebuilt_tables = read_tables(read_store, rebuilt_generations)

    for model in READ_MODELS:  # the history gives every read model rows to compare
        own = [rows for table, rows in live_tables.items() if table.startswith(f"{model.name}.")]
        assert any(own), model.name
    found = differences(live_tables, rebuilt_tables)
    assert not found, pformat(found, width=100)
