"""What a bounded context brings to the composition, declared in one place.

Each context has a module in this package (`contexts/members.py`…) holding one `Context`: its
aggregates and command messages (application), its read models and audit summaries (read side),
its reactions (side effects: mails, its own commands after another context's events), its
GraphQL query and mutation types and its HTTP routes (API).
The root (`contexts/__init__.py`) lists the contexts once; the API, the CLI and the tests take
every list they need from it.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from litestar.types import ControllerRouterHandler

from application.commands import Command
from application.reactions import Reaction
from domain.aggregate import RegistreAggregate
from projections.model import ReadModel
from projections.summaries import Summaries


@dataclass(frozen=True, kw_only=True)
class Context:
    name: str
    aggregates: Sequence[type[RegistreAggregate]]
    commands: Sequence[ModuleType] = ()
    """The modules holding the context's command messages (`application/<context>/commands.py`)."""
    read_models: Sequence[type[ReadModel]] = ()
    audit_summaries: Summaries = field(default_factory=dict)
    reactions: Sequence[type[Reaction]] = ()
    queries: Sequence[type[Any]] = ()
    """Strawberry types whose fields join the root `Query`, in this order."""
    mutations: Sequence[type[Any]] = ()
    """Strawberry types whose fields join the root `Mutation`, in this order."""
    routes: Sequence[ControllerRouterHandler] = ()
    """Litestar route handlers beside `/graphql` (file uploads and downloads)."""

    def command_messages(self) -> list[type[Command[Any]]]:
        """Every concrete command message of the context's command modules."""
        return [
            value
            for module in self.commands
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, Command)
            and value.__module__ == module.__name__
            and not value.__subclasses__()
        ]
