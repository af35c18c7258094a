"""SEPA direct debits, by the service's staff: collecting the debits due on a day, answered with
their pain.008.001.08 file (the same file again for a retried request)."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Self

import strawberry

from api.authorization import mutation
from api.commands import CommandInput, run
from api.context import GraphQLInfo
from api.failures import Failure
from api.rules import SERVICE
from api.services import Services
from application.billing.sepa.collection import Collection, collect_debits
from application.billing.sepa.pain008 import debit_file
from application.registre import Registre
from application.requests import Request
from projections.billing.queries import InvoiceQueries


@strawberry.input
class CollectDebitsInput(CommandInput):
    collection_date: date = strawberry.field(description="Date de prélèvement demandée.")


@strawberry.type(
    description="Les prélèvements présentés pour une date et leur fichier pain.008.001.08, à"
    " remettre à la banque."
)
class DebitsCollected:
    collection_date: date
    count: int = strawberry.field(description="Nombre de prélèvements présentés.")
    total: Decimal = strawberry.field(description="Montant total présenté, en €.")
    file_name: str
    content: str = strawberry.field(description="Le fichier XML pain.008.001.08.")

    @classmethod
    def read(cls, services: Services, collection: Collection) -> Self:
        file = debit_file(services.app, collection)
        return cls(
            collection_date=file.collection_date,
            count=file.count,
            total=file.total.amount,
            file_name=file.name,
            content=file.content.decode(),
        )


CollectDebitsResult = Annotated[DebitsCollected | Failure, strawberry.union("CollectDebitsResult")]


@strawberry.type
class SepaMutations:
    @mutation(
        "Présenter les prélèvements SEPA dus à une date (ou avant, pas encore présentés) et"
        " obtenir leur fichier pain.008.001.08 (par le service).",
        SERVICE,
    )
    async def collect_debits(
        self, info: GraphQLInfo, input: CollectDebitsInput
    ) -> CollectDebitsResult:
        collecting = _collecting(info.context.services, input.collection_date)
        return await run(info, input, collecting, DebitsCollected.read)


def _collecting(
    services: Services, collection_date: date
) -> Callable[[Registre, Request], Collection]:
    """The collection of what the read models list as due, once they hold every invoice
    issued until now."""

    def collect(app: Registre, request: Request) -> Collection:
        services.catch_up()
        due = services.read(InvoiceQueries).due_for_debit
        return collect_debits(app, request, collection_date, due)

    return collect
