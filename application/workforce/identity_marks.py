"""Keeping a member's workforce free of duplicates (`domain.workforce.identity_marks`).

A hire takes the marks of its NIR and of its names and birth date, in the transaction that
records it: a NIR already held by an employee of the member is refused, whatever happens at the
same moment; the same names and birth date are refused until the user confirms that it is
another person (`confirm_homonym`). An identity correction moves the marks, an erasure releases
them. Employees hired before marks existed hold none: their marks are taken at their next
identity correction.
"""

from collections.abc import Iterable
from uuid import UUID

from application.base import RegistreApplication
from domain.errors import DomainError, RuleViolation
from domain.workforce.employee import Employee
from domain.workforce.employment import Identity
from domain.workforce.identity_marks import IdentityMark, MarkKind, mark_id_of

NIR_ALREADY_HIRED = RuleViolation(
    "Ce NIR est déjà celui d'un salarié de l'adhérent : une même personne ne peut être"
    " embauchée deux fois (une nouvelle embauche d'un salarié sorti est une réembauche).",
    code="NIR_ALREADY_HIRED",
    field="nir",
)
POSSIBLE_DUPLICATE = RuleViolation(
    "Un salarié de l'adhérent a déjà ces nom de naissance, prénom et date de naissance :"
    " s'il s'agit bien d'une autre personne, confirmez l'embauche (confirmHomonym).",
    code="POSSIBLE_DUPLICATE",
    field="confirm_homonym",
)


def marked_values(identity: Identity) -> dict[MarkKind, str]:
    """The values of an identity that are marked (no NIR: only the names and birth date)."""
    names = f"{identity.birth_name}|{identity.first_name}|{identity.birth_date.isoformat()}"
    values = {MarkKind.NAMES: names}
    if identity.nir is not None:
        values[MarkKind.NIR] = identity.nir.value
    return values


class Marks:
    """The marks of one member that a command reads and changes, each loaded once (a batch
    may name one several times)."""

    def __init__(
        self,
        app: RegistreApplication,
        member_id: UUID,
        identities: Iterable[Identity | None] = (),
    ):
        """`identities`: those the command will mark or check, their marks read together."""
        self.app = app
        self.member_id = member_id
        self._marks: dict[UUID, IdentityMark | None] = {}
        self._changed: dict[UUID, IdentityMark] = {}
        self._ids: dict[tuple[MarkKind, str], UUID] = {}
        self._prefetch(i for i in identities if i is not None)

    def _id(self, kind: MarkKind, value: str) -> UUID:
        if (kind, value) not in self._ids:
            token = self.app.blind_index.token(kind.value, f"{self.member_id}|{value}")
            self._ids[kind, value] = mark_id_of(kind, token)
        return self._ids[kind, value]

    def _prefetch(self, identities: Iterable[Identity]) -> None:
        """Loads the marks of the identities at once (those not valid are left out: their
        hire will be refused)."""
        valid = []
        for identity in identities:
            try:
                valid.append(identity.validated())
            except DomainError:
                continue
        ids = [self._id(k, v) for i in valid for k, v in marked_values(i).items()]
        found = self.app.load_many(IdentityMark, ids)
        self._marks.update({i: found.get(i) for i in ids if i not in self._marks})

    def _mark(self, mark_id: UUID) -> IdentityMark | None:
        if mark_id not in self._marks:
            self._marks[mark_id] = self.app.find(IdentityMark, mark_id)
        return self._marks[mark_id]

    def held(self, kind: MarkKind, value: str) -> bool:
        mark = self._mark(self._id(kind, value))
        return mark is not None and mark.holders > 0

    def check_free(self, identity: Identity, confirm_homonym: bool) -> None:
        """Refuses an identity whose NIR is held, or whose names and birth date are, unless
        confirmed."""
        values = marked_values(identity)
        if MarkKind.NIR in values and self.held(MarkKind.NIR, values[MarkKind.NIR]):
            raise NIR_ALREADY_HIRED.fresh()
        if not confirm_homonym and self.held(MarkKind.NAMES, values[MarkKind.NAMES]):
            raise POSSIBLE_DUPLICATE.fresh()

    def hire(self, employee: Employee, confirm_homonym: bool) -> None:
        """Takes the marks of a new employee's identity, once `check_free`."""
        assert employee.identity is not None
        self.check_free(employee.identity, confirm_homonym)
        self.take(employee.identity)

    def take(self, identity: Identity) -> None:
        for kind, value in marked_values(identity).items():
            mark_id = self._id(kind, value)
            mark = self._mark(mark_id)
            if mark is None:
                mark = self._marks[mark_id] = IdentityMark.first(mark_id, self.member_id)
            else:
                mark.take()
            self._changed[mark_id] = mark

    def release(self, identity: Identity) -> None:
        for kind, value in marked_values(identity).items():
            mark_id = self._id(kind, value)
            mark = self._mark(mark_id)
            if mark is not None and mark.holders > 0:
                mark.release()
                self._changed[mark_id] = mark

    def move(self, before: Identity | None, after: Identity) -> None:
        """An identity corrected: its new NIR must be free (its names need no confirmation:
        the employee is already recorded)."""
        old = {} if before is None else marked_values(before)
        new = marked_values(after)
        moved = new.get(MarkKind.NIR) not in {None, old.get(MarkKind.NIR)}
        if moved and self.held(MarkKind.NIR, new[MarkKind.NIR]):
            raise NIR_ALREADY_HIRED.fresh()
        if before is not None:
            self.release(before)
        self.take(after)

    def changed(self) -> list[IdentityMark]:
        return list(self._changed.values())
