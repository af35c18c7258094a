"""MEMBER DIRECTORY read model: each member's current state as one document.

One row per member: company data, addresses, branches, contacts, interlocutors, changes of
situation, SEPA mandate (IBAN masked), membership status. The document is a `MemberView` built
field by field from the Member aggregate (`projections.aggregates`), so what is not listed
there — the declarant number's hash, the full IBAN, the debtor's name — never reaches the read
side. A batch writes each member it touched once, in its state after the batch.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.address import Address
from domain.members.member import Member
from domain.members.organisation import (
    Branch,
    Contact,
    ContactType,
    Interlocutor,
    MembershipStatus,
    SepaMandate,
    SituationChange,
    SituationChangeKind,
)
from domain.search import page_size, search_conditions, search_key
from projections.aggregates import shared_folder
from projections.model import Envelope, Queries, ReadModel
from projections.store import Tx

DEFAULT_PAGE = 50
IBAN_VISIBLE = 4
IBAN_MASK = "*"


class AddressView(msgspec.Struct, frozen=True):
    lines: tuple[str, ...]
    postal_code: str
    city: str
    country: str
    latitude: float | None
    longitude: float | None
    confirmed: bool


class AddressesView(msgspec.Struct, frozen=True):
    worksite: AddressView | None
    billing: AddressView | None
    convocation: AddressView | None


class BranchView(msgspec.Struct, frozen=True):
    number: int
    code: str
    name: str
    address: AddressView
    siret: str | None
    closed_on: date | None


class ContactView(msgspec.Struct, frozen=True):
    contact_id: int
    last_name: str
    first_name: str
    function: str | None
    phone: str | None
    email: str | None
    contact_type: ContactType | None = None
    company: str | None = None
    department: str | None = None
    address: AddressView | None = None
    mobile: str | None = None
    fax: str | None = None


class InterlocutorView(msgspec.Struct, frozen=True):
    role: Interlocutor
    contact_id: int


class SituationChangeView(msgspec.Struct, frozen=True):
    change_id: int
    kind: SituationChangeKind
    description: str
    effective_on: date


class SepaMandateView(msgspec.Struct, frozen=True):
    reference: str
    masked_iban: str
    signed_on: date
    revoked_on: date | None
    active: bool


class MemberView(msgspec.Struct, frozen=True):
    """A member as the portal shows it (never the declarant number, nor its hash)."""

    member_id: UUID
    member_code: str
    legal_name: str
    siret: str | None
    vat_number: str | None
    has_cse: bool | None
    addresses: AddressesView
    branches: tuple[BranchView, ...]
    contacts: tuple[ContactView, ...]
    interlocutors: tuple[InterlocutorView, ...]
    situation_changes: tuple[SituationChangeView, ...]
    sepa_mandate: SepaMandateView | None
    status: MembershipStatus
    status_since: date | None
    version: int


_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(MemberView)


class MemberDirectory(ReadModel):
    name = "members"
    reads = (Member.Event,)
    tables = ("members",)
    revision = 2  # found by SIRET and town; contacts' type, company, address, mobile, fax

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.members = shared_folder(self.source, Member)

    def create(self, tx: Tx) -> None:
        tx.execute(
            f"CREATE TABLE {self.table('members')} (member_id TEXT PRIMARY KEY,"
            " member_code TEXT NOT NULL UNIQUE, legal_name TEXT NOT NULL,"
            " search_key TEXT NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL,"
            " document TEXT NOT NULL)"
        )

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        touched: dict[UUID, Member] = {}
        for envelope in envelopes:
            if isinstance(envelope.event, Member.Event):
                member: Member = self.members.apply(envelope.event)
                touched[member.id] = member
        tx.executemany(
            f"INSERT INTO {self.table('members')} VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (member_id) DO UPDATE SET member_code = excluded.member_code,"
            " legal_name = excluded.legal_name, search_key = excluded.search_key,"
            " status = excluded.status, version = excluded.version,"
            " document = excluded.document",
            [_row(view_of(member)) for member in touched.values()],
        )


def _row(view: MemberView) -> tuple[Any, ...]:
    return (
        str(view.member_id),
        view.member_code,
        view.legal_name,
        search_key(" ".join(_searched(view))),
        view.status.value,
        view.version,
        _ENCODER.encode(view).decode(),
    )


def _searched(view: MemberView) -> list[str]:
    """What a search finds a member by: name, code, SIRET of the member and of its branches,
    and the towns of its addresses and branches."""
    addresses = (view.addresses.worksite, view.addresses.billing, view.addresses.convocation)
    return [
        view.legal_name,
        view.member_code,
        *(siret for siret in (view.siret, *(b.siret for b in view.branches)) if siret),
        *dict.fromkeys(
            [a.city for a in addresses if a is not None] + [b.address.city for b in view.branches]
        ),
    ]


def view_of(member: Member) -> MemberView:
    return MemberView(
        member_id=member.id,
        member_code=member.member_code,
        legal_name=member.legal_name,
        siret=_text(member.siret),
        vat_number=_text(member.vat_number),
        has_cse=member.has_cse,
        addresses=AddressesView(
            worksite=_address(member.worksite_address),
            billing=_address(member.billing_address),
            convocation=_address(member.convocation_address),
        ),
        branches=tuple(_branch(b, member.member_code) for b in member.branches),
        contacts=tuple(_contact(c) for c in member.contacts),
        interlocutors=tuple(InterlocutorView(a.role, a.contact_id) for a in member.interlocutors),
        situation_changes=tuple(_situation_change(c) for c in member.situation_changes),
        sepa_mandate=_mandate(member.sepa_mandate),
        status=member.status,
        status_since=member.status_since,
        version=member.version,
    )


def _text(value: str | None) -> str | None:
    return None if value is None else str(value)


def _address(address: Address | None) -> AddressView | None:
    return None if address is None else address_view(address)


def address_view(address: Address) -> AddressView:
    coordinates = address.coordinates
    return AddressView(
        lines=tuple(address.lines),
        postal_code=address.postal_code,
        city=address.city,
        country=address.country,
        latitude=None if coordinates is None else coordinates.latitude,
        longitude=None if coordinates is None else coordinates.longitude,
        confirmed=address.is_confirmed,
    )


def _branch(branch: Branch, member_code: str) -> BranchView:
    return BranchView(
        number=branch.number,
        code=branch.code(member_code),
        name=branch.name,
        address=address_view(branch.address),
        siret=_text(branch.siret),
        closed_on=branch.closed_on,
    )


def _contact(contact: Contact) -> ContactView:
    return ContactView(
        contact_id=contact.contact_id,
        last_name=contact.last_name,
        first_name=contact.first_name,
        function=contact.function,
        phone=_text(contact.phone),
        email=_text(contact.email),
        contact_type=contact.contact_type,
        company=contact.company,
        department=contact.department,
        address=_address(contact.address),
        mobile=_text(contact.mobile),
        fax=_text(contact.fax),
    )


def _situation_change(change: SituationChange) -> SituationChangeView:
    return SituationChangeView(
        change.change_id, change.kind, change.description, change.effective_on
    )


def _mandate(mandate: SepaMandate | None) -> SepaMandateView | None:
    if mandate is None:
        return None
    return SepaMandateView(
        reference=mandate.reference,
        masked_iban=mask_iban(mandate.iban),
        signed_on=mandate.signed_on,
        revoked_on=mandate.revoked_on,
        active=mandate.is_active,
    )


def mask_iban(iban: str) -> str:
    """Only the last 4 characters visible: `FR76…0189` → `***********************0189`."""
    compact = "".join(str(iban).split())
    hidden = max(len(compact) - IBAN_VISIBLE, 0)
    return IBAN_MASK * hidden + compact[hidden:]


class MemberDirectoryQueries(Queries):
    name = "members"

    def member(self, member_id: UUID) -> MemberView | None:
        return _first(self._views("member_id = ?", [str(member_id)]))

    def by_code(self, member_code: str) -> MemberView | None:
        return _first(self._views("member_code = ?", [member_code.strip()]))

    def members(
        self, search: str | None = None, after: str | None = None, limit: int = DEFAULT_PAGE
    ) -> list[MemberView]:
        """A page of members by member code, after the code `after` (the previous page's last),
        whose name, code, SIRET (its own or a branch's) or towns contain every word of `search`
        (accents and case ignored)."""
        conditions, params = search_conditions("search_key", search)
        if after is not None:
            conditions.append("member_code > ?")
            params.append(after)
        where = " AND ".join(conditions) or "1 = 1"
        return self._views(f"{where} ORDER BY member_code LIMIT ?", [*params, page_size(limit)])

    def members_by_ids(self, ids: Iterable[UUID]) -> dict[UUID, MemberView]:
        """The members among `ids` (unknown ids are left out), in one query."""
        wanted = [str(i) for i in dict.fromkeys(ids)]
        if not wanted:
            return {}
        views = self._views(f"member_id IN ({', '.join('?' * len(wanted))})", wanted)
        return {view.member_id: view for view in views}

    def _views(self, where: str, params: Sequence[Any]) -> list[MemberView]:
        sql = f"SELECT document FROM {self.table('members')} WHERE {where}"
        return [_DECODER.decode(row[0]) for row in self.store.read(sql, params)]


def _first(views: list[MemberView]) -> MemberView | None:
    return views[0] if views else None
