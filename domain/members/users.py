"""The portal users of a member and their roles: the rules, over the users a member has.

The `Member` aggregate records the changes (`UserAdded`, `UserRolesChanged`…); what may change
is decided here, on the tuple of its users, so the rule "a member always keeps an administrator"
is checked on one record under optimistic concurrency.
"""

from collections.abc import Callable, Iterable
from dataclasses import replace
from uuid import UUID

from domain.accounts.access import MemberUser, Notification, Role, roles_of
from domain.errors import NotFound, RuleViolation

Users = tuple[MemberUser, ...]


def user_of(users: Users, account_id: UUID) -> MemberUser | None:
    return next((u for u in users if u.account_id == account_id), None)


def existing_user(users: Users, account_id: UUID) -> MemberUser:
    user = user_of(users, account_id)
    if user is None:
        raise NotFound(
            "Cette personne n'est pas utilisatrice du portail pour cet adhérent.",
            code="USER_NOT_FOUND",
        )
    return user


def first_administrator(users: Users, account_id: UUID, third_party_declarant: bool) -> MemberUser:
    """The holder of the member code and declarant number becomes its first administrator
    (seed 001); once the member has one, new users are added by an administrator."""
    if any(user.is_admin for user in users):
        raise RuleViolation(
            "Cet adhérent a déjà un administrateur : demandez-lui de vous ajouter comme"
            " utilisateur.",
            code="ADMINISTRATOR_EXISTS",
        )
    current = user_of(users, account_id)
    if current is None:
        return MemberUser(account_id, frozenset({Role.ADMIN}), third_party_declarant)
    return replace(current, roles=current.roles | {Role.ADMIN})


def new_user(
    users: Users, account_id: UUID, roles: frozenset[Role], third_party_declarant: bool
) -> MemberUser:
    if user_of(users, account_id) is not None:
        raise RuleViolation(
            "Cette personne est déjà utilisatrice du portail pour cet adhérent.",
            code="USER_EXISTS",
        )
    return MemberUser(account_id, roles_of(roles), third_party_declarant)


def roles_of_user(users: Users, account_id: UUID) -> frozenset[Role]:
    """The roles of `account_id` for this member, none when it is not one of its users."""
    user = user_of(users, account_id)
    return frozenset() if user is None else user.roles


def changed_roles(users: Users, account_id: UUID, roles: Iterable[Role]) -> frozenset[Role] | None:
    """The roles the user will have, or None when they are the ones it has."""
    current = existing_user(users, account_id)
    chosen = roles_of(roles)
    if chosen == current.roles:
        return None
    check_keeps_an_administrator(users, account_id, chosen)
    return chosen


def changed_notifications(
    users: Users, account_id: UUID, notifications: Iterable[Notification]
) -> frozenset[Notification] | None:
    """The notifications the user will receive, or None when they are the ones it chose."""
    chosen = frozenset(notifications)
    return None if existing_user(users, account_id).notifications == chosen else chosen


def check_keeps_an_administrator(users: Users, account_id: UUID, roles: frozenset[Role]) -> None:
    """A member always keeps an administrator: two administrators removing each other at the
    same moment cannot both succeed, as both changes are made to the one member record."""
    losing_one = existing_user(users, account_id).is_admin and Role.ADMIN not in roles
    others = any(u.is_admin for u in users if u.account_id != account_id)
    if losing_one and not others:
        raise RuleViolation(
            "L'adhérent doit garder au moins un administrateur : nommez-en un autre d'abord.",
            code="LAST_ADMINISTRATOR",
        )


def with_user(users: Users, user: MemberUser) -> Users:
    """`user` added, or put in the place of the same account's entry (moved last)."""
    return (*(u for u in users if u.account_id != user.account_id), user)


def changed(users: Users, account_id: UUID, change: Callable[[MemberUser], MemberUser]) -> Users:
    return tuple(change(u) if u.account_id == account_id else u for u in users)


def without(users: Users, account_id: UUID) -> Users:
    return tuple(u for u in users if u.account_id != account_id)


def with_roles(users: Users, account_id: UUID, roles: frozenset[Role]) -> Users:
    return changed(users, account_id, lambda u: replace(u, roles=roles))


def with_notifications(
    users: Users, account_id: UUID, notifications: frozenset[Notification]
) -> Users:
    return changed(users, account_id, lambda u: replace(u, notifications=notifications))
