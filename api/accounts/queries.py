"""Queries of accounts: who is signed in, a member's users, the access log."""

from datetime import datetime
from uuid import UUID

import strawberry

from api.accounts.types import AccessLogRecord, Me, MemberUser
from api.authorization import SIGNED_IN, Rule, Scope, query
from api.context import GraphQLInfo
from api.enums import AccessEvent
from api.from_structs import converted
from api.pagination import (
    DEFAULT_PAGE,
    Connection,
    bad_cursor,
    connection,
    decode_cursor,
    encode_cursor,
    fetch_page,
    page_size,
)
from api.threads import blocking
from application.accounts.access_store import AccessLogEntry
from domain.accounts.access import Right


def _log_cursor(entry: AccessLogEntry) -> str:
    return encode_cursor(entry.at.isoformat(), entry.entry_id)


def _log_key(cursor: str) -> tuple[datetime, str]:
    at, entry_id = decode_cursor(cursor, 2)
    try:
        return datetime.fromisoformat(at), str(entry_id)
    except (TypeError, ValueError):
        raise bad_cursor() from None


@strawberry.type
class AccountQueries:
    @query("La personne connectée et ses adhérents.", SIGNED_IN)
    async def me(self, info: GraphQLInfo) -> Me | None:
        principal = info.context.principal
        assert principal is not None
        accounts = info.context.services.accounts

        def read() -> Me | None:
            view = accounts.account(principal.account_id)
            rows = accounts.memberships(principal.account_id)
            return None if view is None else Me.of(view, principal, rows)

        return await blocking(read)

    @query(
        "Les utilisateurs du portail d'un adhérent, leurs rôles et notifications.",
        Rule(Right.READ_USERS, scope=Scope(member="member_id")),
    )
    async def member_users(self, info: GraphQLInfo, member_id: UUID) -> list[MemberUser]:
        rows = await blocking(lambda: info.context.services.accounts.users_of(member_id))
        return [converted(MemberUser, row) for row in rows]

    @query(
        "Journal des accès : lectures de données de santé, refus, connexions inconnues ;"
        " du plus récent.",
        Rule(Right.READ_ACCESS_LOG),
    )
    async def access_log(
        self,
        info: GraphQLInfo,
        event: AccessEvent | None = None,
        member_id: UUID | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[AccessLogRecord]:
        store, size = info.context.services.access.store, page_size(first)
        start = None if after is None else _log_key(after)
        page = await blocking(
            lambda: fetch_page(
                lambda before, limit: store.log_entries(
                    event=event, member_id=member_id, before=before, limit=limit
                ),
                lambda entry: (entry.at, entry.entry_id),
                _log_cursor,
                size,
                start,
            )
        )
        return connection(page, _log_cursor, lambda entry: converted(AccessLogRecord, entry))
