"""What a member's mutation answers: the member as the read model shows it once changed."""

from typing import Self
from uuid import UUID

import strawberry

from api.members.types import Member
from api.services import Services
from application.requests import CommandResult


@strawberry.type
class MemberChanged:
    aggregate_id: UUID
    version: int
    created_id: int | None
    member: Member | None

    @classmethod
    def read(cls, services: Services, result: CommandResult) -> Self:
        view = services.members.member(result.aggregate_id)
        return cls(
            aggregate_id=result.aggregate_id,
            version=result.version,
            created_id=result.created_id,
            member=None if view is None else Member.of(view),
        )
