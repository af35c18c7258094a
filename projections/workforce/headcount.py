"""HEADCOUNT: active employees by follow-up category and by contract type, on any validity date
and knowledge date. It reads the workforce read model's timeline rows (it has no table of its
own: a count per day would be a copy of the same facts)."""

from datetime import date
from uuid import UUID

import msgspec

from projections.model import Queries
from projections.timeline import day


class Headcount(msgspec.Struct, frozen=True):
    valid_on: date
    total: int
    by_category: dict[str, int]
    by_contract_type: dict[str, int]


class HeadcountQueries(Queries):
    name = "workforce"

    def headcount(self, member_id: UUID, valid_on: date, known_at: int) -> Headcount:
        day_on = day(valid_on)
        rows = self.store.read(
            "SELECT category, contract_type, COUNT(*) FROM"
            f" {self.table('segments')} WHERE member_id = ? AND active = 1"
            " AND known_from <= ? AND ? < known_to AND valid_from <= ? AND ? <= valid_to"
            " GROUP BY category, contract_type",
            (str(member_id), known_at, known_at, day_on, day_on),
        )
        by_category: dict[str, int] = {}
        by_contract_type: dict[str, int] = {}
        for category, contract_type, count in rows:
            by_category[category] = by_category.get(category, 0) + count
            by_contract_type[contract_type] = by_contract_type.get(contract_type, 0) + count
        return Headcount(valid_on, sum(by_category.values()), by_category, by_contract_type)
