"""What a query will cost, counted on its document before it runs, and the limit it must keep.

A small document can ask for a great deal: fifteen aliases of `employees(first: 100)` with each
employee's history answer tens of megabytes. So each field counts for every time it will be
answered:

- a field costs 1, plus the cost of its selection;
- a list field costs that much for each item it is expected to hold: the page size for a
  field taking `first` (its value, from the document or the variables, or its default, capped
  at `MAX_PAGE` as the resolvers cap it), for the `edges` of such a field too; `ASSUMED_LIST`
  items for any other list;
- fragments count as their fields, aliases as many times as they appear; introspection
  (`__schema`, `__type`) counts 1, its answer being as large as the schema whatever the data.

`employees(first: 100) { edges { node { id firstName } } }` costs 1 + 100 × (1 + 1 + 2) = 401;
with each node's `history { summary changes }` it costs 1 + 100 × (1 + 1 + 2 + 10 × 3) = 3,401.
A query above `MAX_COST` is refused with `QUERY_TOO_COSTLY` before any resolver runs.
"""

from collections.abc import Iterator
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension

from api.pagination import MAX_PAGE

MAX_COST = 10_000
ASSUMED_LIST = 10
PAGE_ARGUMENT = "first"
_META_FIELDS = frozenset({"__schema", "__type"})


def too_costly_message(cost: int) -> str:
    return (
        f"Requête trop coûteuse : coût {cost}, limite {MAX_COST} (chaque champ compte autant de"
        " fois qu'il sera répondu). Demandez des pages plus petites (first), moins de champs"
        " imbriqués ou moins d'alias."
    )


class _Counter:
    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any]
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }

    def selections(self, selection_set: SelectionSetNode, parent: Any, page: int | None) -> int:
        """The cost of a selection on `parent`; `page`: the size of its lists when the field
        it selects on took `first` (a connection's edges)."""
        total = 0
        for selection, on in self._fields(selection_set, parent):
            total += self.field(selection, on, page)
        return total

    def field(self, node: FieldNode, parent: Any, page: int | None) -> int:
        name = node.name.value
        if name in _META_FIELDS:  # introspection: as large as the schema, whatever the data
            return 1
        definition = getattr(parent, "fields", {}).get(name)
        if definition is None:  # __typename, or a field validation has refused
            return 0
        own_page = self._page(node, definition)
        size, inner_page = 1, own_page
        if is_list_type(get_nullable_type(definition.type)):
            size, inner_page = own_page or page or ASSUMED_LIST, None
        inner = 0
        if node.selection_set is not None:
            named = get_named_type(definition.type)
            inner = self.selections(node.selection_set, named, inner_page)
        return size * (1 + inner)

    def _fields(self, selection_set: SelectionSetNode, parent: Any) -> Iterator[tuple[Any, Any]]:
        """The fields of a selection, fragments spread, each with the type it selects on."""
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection, parent
            elif isinstance(selection, InlineFragmentNode):
                yield from self._fragment(selection.type_condition, selection.selection_set, parent)
            elif (
                isinstance(selection, FragmentSpreadNode) and selection.name.value in self.fragments
            ):
                fragment = self.fragments[selection.name.value]
                yield from self._fragment(fragment.type_condition, fragment.selection_set, parent)

    def _fragment(
        self, condition: NamedTypeNode | None, selection_set: SelectionSetNode, parent: Any
    ) -> Iterator[tuple[Any, Any]]:
        on = parent if condition is None else self.schema.get_type(condition.name.value)
        return self._fields(selection_set, on)

    def _page(self, node: FieldNode, definition: Any) -> int | None:
        if PAGE_ARGUMENT not in definition.args:
            return None
        value: Any = definition.args[PAGE_ARGUMENT].default_value
        for argument in node.arguments or ():
            if argument.name.value != PAGE_ARGUMENT:
                continue
            given = argument.value
            if isinstance(given, IntValueNode):
                value = int(given.value)
            elif isinstance(given, VariableNode):
                value = self.variables.get(given.name.value, value)
        if not isinstance(value, int) or isinstance(value, bool):
            return MAX_PAGE
        return max(1, min(value, MAX_PAGE))


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
) -> int:
    """The cost of the operation a request runs (0 when it names none the document holds)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [
        o
        for o in operations
        if operation_name is None or (o.name and o.name.value == operation_name)
    ]
    if len(chosen) != 1:
        return 0
    operation = chosen[0]
    defaults = {
        definition.variable.name.value: int(definition.default_value.value)
        for definition in operation.variable_definitions or ()
        if isinstance(definition.default_value, IntValueNode)
    }
    root = schema.get_root_type(operation.operation)
    counter = _Counter(schema, document, defaults | (variables or {}))
    return counter.selections(operation.selection_set, root, None)


class QueryCostLimit(SchemaExtension):
    """Refuses, before it runs, an operation costing more than `MAX_COST`."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            schema = context.schema._schema
            cost = operation_cost(schema, document, context.operation_name, context.variables)
            if cost > MAX_COST:
                error = GraphQLError(
                    too_costly_message(cost),
                    extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "maxCost": MAX_COST},
                )
                context.result = GraphQLExecutionResult(data=None, errors=[error])
        yield
