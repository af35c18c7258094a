"""The composition root: each context registered once, everything derived from it."""

from application.reactions import Reaction
from application.registre import SNAPSHOT_INTERVAL, Registre
from contexts import CONTEXTS, REACTIONS, READ_MODELS, SCHEMA
from domain.aggregate import RegistreAggregate


def _every_subclass(kind: type) -> set[type]:
    below = set(kind.__subclasses__())
    return below.union(*(_every_subclass(k) for k in below)) if below else set()


def test_every_aggregate_belongs_to_exactly_one_context() -> None:
    declared = [aggregate for context in CONTEXTS for aggregate in context.aggregates]

    assert len(declared) == len(set(declared))
    assert set(declared) == {
        kind for kind in _every_subclass(RegistreAggregate) if not kind.__name__.startswith("_")
    }


def test_every_aggregate_is_snapshotted_without_being_listed() -> None:
    for context in CONTEXTS:
        for aggregate in context.aggregates:
            assert Registre.snapshotting_intervals.get(aggregate) == SNAPSHOT_INTERVAL


def test_context_names_and_read_model_names_are_unique() -> None:
    names = [context.name for context in CONTEXTS]
    models = [model.name for model in READ_MODELS]

    assert len(names) == len(set(names))
    assert len(models) == len(set(models))
    assert models[-1] == "audit"


def test_every_context_brings_its_commands_and_their_mutations() -> None:
    mutation_type = SCHEMA.get_type_by_name("Mutation")
    assert mutation_type is not None
    mutations = {field.python_name for field in mutation_type.fields}  # type: ignore[union-attr]

    for context in CONTEXTS:
        commands = {message.command_name() for message in context.command_messages()}
        assert commands, context.name
        declared = {
            field.python_name
            for kind in context.mutations
            for field in kind.__strawberry_definition__.fields
        }
        assert declared <= mutations, context.name


def test_every_reaction_written_is_registered_once() -> None:
    """A reaction no context declares would never run (the bases name none)."""
    written = {kind for kind in _every_subclass(Reaction) if "name" in vars(kind)}

    assert sorted(REACTIONS, key=str) == sorted(written, key=str)
    assert len({reaction.name for reaction in REACTIONS}) == len(REACTIONS)
