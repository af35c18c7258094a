"""Finding members: the directory the service's staff, auditors and regulators search, so that
they need not know a member's code or id beforehand. Members' own users never reach it."""

from uuid import UUID

import strawberry

from api.authorization import Rule, query
from api.context import GraphQLInfo
from api.enums import MembershipStatus
from api.pagination import (
    DEFAULT_PAGE,
    Connection,
    connection,
    decode_cursor,
    encode_cursor,
    fetch_page,
    page_size,
)
from api.threads import blocking
from domain.accounts.access import Right
from projections.members.members import MemberView

FINDS_MEMBERS = Rule(Right.READ_MEMBER_DIRECTORY)


@strawberry.type(description="Un adhérent trouvé : de quoi le reconnaître et l'ouvrir.")
class MemberFound:
    id: UUID
    member_code: str
    legal_name: str
    siret: str | None
    town: str | None = strawberry.field(
        description="Commune du lieu de travail (à défaut, de l'adresse de facturation)."
    )
    branch_sirets: list[str] = strawberry.field(description="SIRET des établissements.")
    status: MembershipStatus

    @classmethod
    def of(cls, view: MemberView) -> "MemberFound":
        address = view.addresses.worksite or view.addresses.billing
        return cls(
            id=view.member_id,
            member_code=view.member_code,
            legal_name=view.legal_name,
            siret=view.siret,
            town=None if address is None else address.city,
            branch_sirets=[b.siret for b in view.branches if b.siret],
            status=view.status,
        )


def _cursor(view: MemberView) -> str:
    return encode_cursor(view.member_code)


@strawberry.type
class DirectoryQueries:
    @query(
        "Rechercher des adhérents par code, raison sociale, SIRET (de l'adhérent ou d'un"
        " établissement) ou commune ; par code adhérent (service, auditeurs, autorités).",
        FINDS_MEMBERS,
    )
    async def find_members(
        self,
        info: GraphQLInfo,
        search: str | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[MemberFound]:
        members, size = info.context.services.members, page_size(first)
        start = None if after is None else str(decode_cursor(after, 1)[0])
        page = await blocking(
            lambda: fetch_page(
                lambda code, limit: members.members(search, code, limit),
                lambda view: view.member_code,
                _cursor,
                size,
                start,
            )
        )
        return connection(page, _cursor, MemberFound.of)
