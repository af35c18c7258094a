"""Who may do what, and how sign-ins are slowed down, without storage: the rights of each role
and account kind, the principal's reach, the throttling policy, the password rules, the users of
a member (always one administrator) and the events of an account."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from domain.accounts.access import (
    DEFAULT_NOTIFICATIONS,
    KIND_RIGHTS,
    NOWHERE,
    ROLE_RIGHTS,
    AccountKind,
    MemberUser,
    Notification,
    Principal,
    Right,
    Role,
    roles_of,
)
from domain.accounts.account import (
    Account,
    LoginFailure,
    LoginMethod,
    account_id_of,
    check_password_strength,
)
from domain.accounts.throttling import (
    ACCOUNT_POLICY,
    ADDRESS_POLICY,
    MAIL_POLICY,
    Failures,
    ThrottlePolicy,
    TooManyAttempts,
)
from domain.actor import Actor
from domain.contact_details import Email
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.members.member import Member

ACTOR = Actor("staff-1")
T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
EMAIL = Email("claire.durand@boulangerie.fr")
MEMBER_ONLY = {
    Right.READ_COMPANY,
    Right.MANAGE_COMPANY,
    Right.READ_USERS,
    Right.MANAGE_USERS,
    Right.CHOOSE_NOTIFICATIONS,
    Right.READ_BILLING,
    Right.MANAGE_BILLING,
    Right.READ_WORKFORCE,
    Right.MANAGE_WORKFORCE,
    Right.READ_CMR,
    Right.READ_DECLARATION,
    Right.MANAGE_DECLARATION,
    Right.READ_APPOINTMENTS,
    Right.MANAGE_APPOINTMENTS,
    Right.READ_AUDIT,
}
WORKFORCE = {Right.READ_WORKFORCE, Right.MANAGE_WORKFORCE, Right.READ_CMR}


# Rights of roles and account kinds -----------------------------------------------------------


def test_an_administrator_does_everything_for_its_member_but_nothing_of_the_service() -> None:
    assert ROLE_RIGHTS[Role.ADMIN] == MEMBER_ONLY
    assert Right.ADMINISTER_SERVICE not in ROLE_RIGHTS[Role.ADMIN]
    assert Right.READ_ACCESS_LOG not in ROLE_RIGHTS[Role.ADMIN]


def test_billing_handles_invoices_and_never_sees_the_workforce() -> None:
    assert ROLE_RIGHTS[Role.BILLING] == {
        Right.READ_COMPANY,
        Right.READ_BILLING,
        Right.MANAGE_BILLING,
        Right.READ_DECLARATION,
        Right.READ_APPOINTMENTS,
        Right.CHOOSE_NOTIFICATIONS,
    }
    assert not ROLE_RIGHTS[Role.BILLING] & WORKFORCE


def test_declaration_keeps_company_workforce_and_cmr_but_not_billing_nor_users() -> None:
    rights = ROLE_RIGHTS[Role.DECLARATION]
    declaration = {Right.READ_DECLARATION, Right.MANAGE_DECLARATION}
    assert {
        Right.READ_COMPANY,
        Right.MANAGE_COMPANY,
        Right.READ_APPOINTMENTS,
        Right.CHOOSE_NOTIFICATIONS,
    } | WORKFORCE | declaration == rights
    assert Right.MANAGE_BILLING not in rights
    assert Right.READ_BILLING not in rights
    assert Right.MANAGE_USERS not in rights


def test_convocation_reads_the_workforce_and_never_billing() -> None:
    assert ROLE_RIGHTS[Role.CONVOCATION] == {
        Right.READ_COMPANY,
        Right.READ_WORKFORCE,
        Right.READ_APPOINTMENTS,
        Right.MANAGE_APPOINTMENTS,
        Right.CHOOSE_NOTIFICATIONS,
    }


def test_no_role_gives_a_right_of_the_service() -> None:
    for role in Role:
        assert Right.ADMINISTER_SERVICE not in ROLE_RIGHTS[role], role
        assert Right.READ_ACCESS_LOG not in ROLE_RIGHTS[role], role


def test_service_staff_do_everything() -> None:
    assert KIND_RIGHTS[AccountKind.SERVICE_STAFF] == set(Right)


def test_auditors_read_everything_and_change_nothing() -> None:
    rights = KIND_RIGHTS[AccountKind.AUDITOR]
    assert rights == {r for r in Right if r.value.startswith("READ_")}
    assert Right.READ_ACCESS_LOG in rights
    assert all(right.is_read for right in rights)
    assert Right.ADMINISTER_SERVICE not in rights
    assert not {r for r in Right if r.value.startswith("MANAGE_")} & rights
    assert Right.CHOOSE_NOTIFICATIONS not in rights


def test_regulators_only_find_members_and_read_the_cmr_lists() -> None:
    assert KIND_RIGHTS[AccountKind.REGULATOR] == {Right.READ_CMR, Right.READ_MEMBER_DIRECTORY}


def test_no_member_user_searches_the_member_directory() -> None:
    assert all(Right.READ_MEMBER_DIRECTORY not in rights for rights in ROLE_RIGHTS.values())


def test_a_member_user_holds_no_right_by_its_kind() -> None:
    assert AccountKind.MEMBER_USER not in KIND_RIGHTS


def test_labels_are_french() -> None:
    assert [role.label for role in Role] == [
        "administrateur",
        "facturation",
        "déclaration",
        "convocation",
    ]
    assert AccountKind.REGULATOR.label == "autorité de contrôle"
    assert LoginMethod.ONE_TIME_CODE.label == "code à usage unique"
    assert LoginMethod.PASSWORD.label == "mot de passe"
    assert LoginFailure.EXPIRED_CODE.label == "code expiré ou déjà utilisé"


def test_a_user_needs_at_least_one_role() -> None:
    assert roles_of([Role.BILLING, Role.BILLING]) == {Role.BILLING}
    with pytest.raises(InvalidValue) as refused:
        roles_of([])
    assert (refused.value.code, refused.value.field) == ("NO_ROLE", "roles")


# Principal -------------------------------------------------------------------------------------


def a_user_principal(*roles: Role, member_id: UUID | None = None) -> Principal:
    return Principal(uuid4(), AccountKind.MEMBER_USER, member_id or uuid4(), frozenset(roles))


def test_a_member_user_has_the_union_of_its_roles_rights() -> None:
    principal = a_user_principal(Role.BILLING, Role.CONVOCATION)

    assert principal.rights == ROLE_RIGHTS[Role.BILLING] | ROLE_RIGHTS[Role.CONVOCATION]
    assert principal.may(Right.MANAGE_BILLING)
    assert principal.may(Right.READ_WORKFORCE)
    assert not principal.may(Right.MANAGE_WORKFORCE)


def test_a_member_user_without_roles_may_do_nothing() -> None:
    principal = a_user_principal()

    assert principal.rights == frozenset()
    assert not any(principal.may(right) for right in Right)


def test_the_rights_of_the_services_people_come_from_their_kind() -> None:
    regulator = Principal(uuid4(), AccountKind.REGULATOR)
    auditor = Principal(uuid4(), AccountKind.AUDITOR, roles=frozenset({Role.ADMIN}))

    assert regulator.may(Right.READ_CMR)
    assert not regulator.may(Right.READ_WORKFORCE)
    assert not regulator.may(Right.READ_COMPANY)
    assert not auditor.may(Right.MANAGE_COMPANY), "an auditor's roles give no right"
    assert auditor.may(Right.READ_AUDIT)


def test_a_member_user_reaches_its_member_only() -> None:
    member_id = uuid4()
    principal = a_user_principal(Role.ADMIN, member_id=member_id)

    assert principal.reaches(member_id)
    assert not principal.reaches(uuid4())
    assert not principal.reaches(None)
    assert not principal.sees_every_member


def test_a_member_user_with_no_member_reaches_nothing() -> None:
    principal = Principal(uuid4(), AccountKind.MEMBER_USER)

    assert not principal.reaches(None)
    assert not principal.reaches(uuid4())
    assert principal.actor.on_behalf_of == NOWHERE


@pytest.mark.parametrize(
    "kind", [AccountKind.SERVICE_STAFF, AccountKind.AUDITOR, AccountKind.REGULATOR]
)
def test_the_services_people_reach_every_member(kind: AccountKind) -> None:
    principal = Principal(uuid4(), kind)

    assert principal.sees_every_member
    assert principal.reaches(uuid4())
    assert principal.reaches(None)


def test_a_member_user_acts_on_behalf_of_its_member() -> None:
    member_id = uuid4()
    principal = a_user_principal(Role.DECLARATION, member_id=member_id)

    assert principal.actor == Actor(str(principal.account_id), member_id)


def test_the_services_staff_act_on_behalf_of_nobody() -> None:
    principal = Principal(uuid4(), AccountKind.SERVICE_STAFF, member_id=uuid4())

    assert principal.actor == Actor(str(principal.account_id))
    assert principal.actor.on_behalf_of is None


# Throttling --------------------------------------------------------------------------------


def after(count: int, policy: ThrottlePolicy = ACCOUNT_POLICY, at: datetime = T0) -> Failures:
    """The record of `count` failures, the last one at `at`."""
    failures = None
    for _ in range(count):
        failures = policy.after_failure(failures, at)
    assert failures is not None
    return failures


def test_the_policies_of_accounts_addresses_and_mails() -> None:
    assert (ACCOUNT_POLICY.free, ACCOUNT_POLICY.lock_after) == (3, 10)
    assert ACCOUNT_POLICY.first_wait == timedelta(seconds=2)
    assert ACCOUNT_POLICY.lock_for == timedelta(minutes=15)
    assert (ADDRESS_POLICY.free, ADDRESS_POLICY.lock_after) == (20, 50)
    assert (MAIL_POLICY.free, MAIL_POLICY.first_wait) == (5, timedelta(seconds=30))


def test_no_failure_no_wait() -> None:
    assert ACCOUNT_POLICY.wait(None, T0) == timedelta(0)
    assert ACCOUNT_POLICY.counted(None, T0) == 0
    ACCOUNT_POLICY.check(None, T0)


@pytest.mark.parametrize("count", [1, 2, 3])
def test_the_first_failures_are_free(count: int) -> None:
    failures = after(count)

    assert failures == Failures(count, T0)
    assert ACCOUNT_POLICY.wait(failures, T0) == timedelta(0)
    ACCOUNT_POLICY.check(failures, T0)


@pytest.mark.parametrize(
    ("count", "seconds"), [(4, 2), (5, 4), (6, 8), (7, 16), (8, 32), (9, 64), (10, 900), (12, 900)]
)
def test_each_further_failure_doubles_the_wait_then_locks_for_15_minutes(
    count: int, seconds: int
) -> None:
    assert ACCOUNT_POLICY.wait(after(count), T0) == timedelta(seconds=seconds)


def test_the_wait_runs_from_the_last_failure() -> None:
    failures = after(5)  # 4 seconds

    assert ACCOUNT_POLICY.wait(failures, T0 + timedelta(seconds=1)) == timedelta(seconds=3)
    assert ACCOUNT_POLICY.wait(failures, T0 + timedelta(seconds=4)) == timedelta(0)
    ACCOUNT_POLICY.check(failures, T0 + timedelta(seconds=4))
    with pytest.raises(TooManyAttempts) as refused:
        ACCOUNT_POLICY.check(failures, T0 + timedelta(seconds=3.9))
    assert refused.value.retry_after == 1


def test_a_lock_lasts_15_minutes() -> None:
    locked = after(10)

    with pytest.raises(TooManyAttempts) as refused:
        ACCOUNT_POLICY.check(locked, T0 + timedelta(minutes=14, seconds=59))
    assert refused.value.retry_after == 1
    ACCOUNT_POLICY.check(locked, T0 + timedelta(minutes=15))


def test_failures_are_forgotten_after_the_window() -> None:
    failures = after(9)
    later = T0 + timedelta(minutes=15)

    assert ACCOUNT_POLICY.counted(failures, later - timedelta(seconds=1)) == 9
    assert ACCOUNT_POLICY.counted(failures, later) == 0
    assert ACCOUNT_POLICY.after_failure(failures, later) == Failures(1, later)
    assert ACCOUNT_POLICY.wait(ACCOUNT_POLICY.after_failure(failures, later), later) == timedelta(0)


def test_a_failure_within_the_window_keeps_counting() -> None:
    failures = after(3)
    later = T0 + timedelta(minutes=14)

    assert ACCOUNT_POLICY.after_failure(failures, later) == Failures(4, later)


def test_the_mail_policy_waits_30_seconds_after_its_free_mails() -> None:
    assert MAIL_POLICY.wait(after(5, MAIL_POLICY), T0) == timedelta(0)
    assert MAIL_POLICY.wait(after(6, MAIL_POLICY), T0) == timedelta(seconds=30)
    assert MAIL_POLICY.wait(after(7, MAIL_POLICY), T0) == timedelta(seconds=60)
    assert MAIL_POLICY.wait(after(10, MAIL_POLICY), T0) == timedelta(minutes=15)


def test_an_address_tolerates_more_failures_than_an_account() -> None:
    assert ADDRESS_POLICY.wait(after(20, ADDRESS_POLICY), T0) == timedelta(0)
    assert ADDRESS_POLICY.wait(after(21, ADDRESS_POLICY), T0) == timedelta(seconds=2)
    assert ADDRESS_POLICY.wait(after(50, ADDRESS_POLICY), T0) == timedelta(minutes=15)


@pytest.mark.parametrize(
    ("wait", "delay", "retry_after"),
    [
        (timedelta(seconds=1), "1 seconde", 1),
        (timedelta(seconds=2), "2 secondes", 2),
        (timedelta(seconds=64), "64 secondes", 64),
        (timedelta(seconds=119), "119 secondes", 119),
        (timedelta(seconds=120), "2 minutes", 120),
        (timedelta(seconds=121), "3 minutes", 121),
        (timedelta(minutes=15), "15 minutes", 900),
    ],
)
def test_too_many_attempts_says_how_long_to_wait_in_french(
    wait: timedelta, delay: str, retry_after: int
) -> None:
    refusal = TooManyAttempts(wait)

    assert isinstance(refusal, RuleViolation)
    assert refusal.code == "TOO_MANY_ATTEMPTS"
    assert refusal.message == (
        f"Trop de tentatives infructueuses : par sécurité, réessayez dans {delay}."
    )
    assert refusal.retry_after == retry_after


def test_too_many_attempts_never_asks_to_wait_less_than_a_second() -> None:
    assert TooManyAttempts(timedelta(milliseconds=10)).retry_after == 1


# Password strength ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "Abcdefghij12",  # 12 characters: lower, upper, digits
        "abcdefgh-1234",  # lower, digits, others
        "ABCDEF-GHIJ-1",  # upper, others, digits
        "Correct-Horse-Battery-9",
        "éléphant-ROSE-à-pois",  # accented letters count as letters
        "Aa1-" * 32,  # 128 characters
    ],
)
def test_strong_passwords_are_accepted(password: str) -> None:
    check_password_strength(password, EMAIL)


@pytest.mark.parametrize(
    "password",
    [
        "",
        "Abcdefghi1!",  # 11 characters
        "abcdefghijklmnop",  # one kind
        "abcdefgh12345678",  # two kinds
        "ABCDEFGH-IJKLMNOP",  # two kinds
        "Aa1-" * 32 + "x",  # 129 characters
    ],
)
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        check_password_strength(password, EMAIL)

    assert (refused.value.code, refused.value.field) == ("WEAK_PASSWORD", "new_password")
    assert "12 caractères" in refused.value.message


@pytest.mark.parametrize(
    "password", ["claire.durand@boulangerie.fr1A", "X-CLAIRE.DURAND@BOULANGERIE.FR-9"]
)
def test_a_password_holding_the_email_is_refused(password: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        check_password_strength(password, EMAIL)

    assert (refused.value.code, refused.value.field) == ("WEAK_PASSWORD", "new_password")
    assert refused.value.message == "Le mot de passe ne doit pas contenir votre adresse e-mail."


# The users of a member ------------------------------------------------------------------------


def a_member() -> Member:
    member = Member.register(
        member_code="00010",
        declarant_number_hash="$argon2id$not-a-real-hash",
        legal_name="Boulangerie Martin",
        siret=None,
        actor=ACTOR,
    )
    member.collect_events()
    return member


def events_of(member: Member | Account) -> list[str]:
    return [type(event).__name__ for event in member.collect_events()]


def refusal_code(action: object) -> str:
    assert callable(action)
    with pytest.raises((RuleViolation, NotFound, InvalidValue)) as refused:
        action()
    return refused.value.code


def with_admin() -> tuple[Member, UUID]:
    member = a_member()
    admin = uuid4()
    member.register_first_administrator(admin, third_party_declarant=False, actor=ACTOR)
    member.collect_events()
    return member, admin


def test_the_first_administrator_is_registered_when_there_is_none() -> None:
    member = a_member()
    account = uuid4()

    member.register_first_administrator(account, third_party_declarant=True, actor=ACTOR)

    assert member.users == (
        MemberUser(account, frozenset({Role.ADMIN}), third_party_declarant=True),
    )
    assert member.user(account) is not None
    assert member.user(account).notifications == DEFAULT_NOTIFICATIONS  # type: ignore[union-attr]
    assert member.roles_of(account) == {Role.ADMIN}
    assert events_of(member) == ["FirstAdministratorRegistered"]


def test_no_first_administrator_once_the_member_has_one() -> None:
    member, admin = with_admin()

    code = refusal_code(
        lambda: member.register_first_administrator(
            uuid4(), third_party_declarant=False, actor=ACTOR
        )
    )

    assert code == "ADMINISTRATOR_EXISTS"
    assert [u.account_id for u in member.users] == [admin]
    assert events_of(member) == []


def test_a_user_without_administrator_rights_becomes_the_first_administrator_too() -> None:
    member = a_member()
    account = uuid4()
    member.add_user(account, frozenset({Role.BILLING}), third_party_declarant=False, actor=ACTOR)

    member.choose_notifications(account, frozenset({Notification.INVOICES}), ACTOR)

    member.register_first_administrator(account, third_party_declarant=False, actor=ACTOR)

    assert member.users == (
        MemberUser(
            account,
            frozenset({Role.BILLING, Role.ADMIN}),
            notifications=frozenset({Notification.INVOICES}),
        ),
    )


def test_no_first_administrator_for_a_terminated_member() -> None:
    member = a_member()
    member.terminate("Cessation d'activité", T0.date(), ACTOR)

    code = refusal_code(
        lambda: member.register_first_administrator(
            uuid4(), third_party_declarant=False, actor=ACTOR
        )
    )

    assert code == "MEMBERSHIP_TERMINATED"


def test_users_are_added_with_their_roles() -> None:
    member, admin = with_admin()
    billing = uuid4()

    roles = frozenset({Role.BILLING, Role.CONVOCATION})
    member.add_user(billing, roles, third_party_declarant=True, actor=ACTOR)

    assert member.roles_of(billing) == {Role.BILLING, Role.CONVOCATION}
    assert member.user(billing) == MemberUser(
        billing, frozenset({Role.BILLING, Role.CONVOCATION}), third_party_declarant=True
    )
    assert [u.account_id for u in member.users] == [admin, billing]
    assert events_of(member) == ["UserAdded"]


def test_a_user_is_added_once_and_with_a_role() -> None:
    member, admin = with_admin()

    assert (
        refusal_code(
            lambda: member.add_user(
                admin, frozenset({Role.BILLING}), third_party_declarant=False, actor=ACTOR
            )
        )
        == "USER_EXISTS"
    )
    assert (
        refusal_code(
            lambda: member.add_user(uuid4(), frozenset(), third_party_declarant=False, actor=ACTOR)
        )
        == "NO_ROLE"
    )
    assert member.roles_of(admin) == {Role.ADMIN}
    assert events_of(member) == []


def test_roles_are_changed() -> None:
    member, admin = with_admin()
    user = uuid4()
    member.add_user(user, frozenset({Role.BILLING}), third_party_declarant=False, actor=ACTOR)
    member.collect_events()

    member.change_user_roles(user, frozenset({Role.DECLARATION, Role.ADMIN}), ACTOR)

    assert member.roles_of(user) == {Role.DECLARATION, Role.ADMIN}
    assert member.roles_of(admin) == {Role.ADMIN}
    assert events_of(member) == ["UserRolesChanged"]


def test_the_same_roles_record_no_event() -> None:
    member, admin = with_admin()

    member.change_user_roles(admin, frozenset({Role.ADMIN}), ACTOR)

    assert events_of(member) == []


def test_roles_are_never_emptied_and_only_users_have_them() -> None:
    member, admin = with_admin()

    assert refusal_code(lambda: member.change_user_roles(admin, frozenset(), ACTOR)) == "NO_ROLE"
    assert (
        refusal_code(lambda: member.change_user_roles(uuid4(), frozenset({Role.ADMIN}), ACTOR))
        == "USER_NOT_FOUND"
    )


def test_the_last_administrator_cannot_be_demoted() -> None:
    member, admin = with_admin()

    code = refusal_code(lambda: member.change_user_roles(admin, frozenset({Role.BILLING}), ACTOR))

    assert code == "LAST_ADMINISTRATOR"
    assert member.roles_of(admin) == {Role.ADMIN}
    assert events_of(member) == []


def test_the_last_administrator_may_gain_roles() -> None:
    member, admin = with_admin()

    member.change_user_roles(admin, frozenset({Role.ADMIN, Role.BILLING}), ACTOR)

    assert member.roles_of(admin) == {Role.ADMIN, Role.BILLING}


def test_an_administrator_is_demoted_when_another_remains() -> None:
    member, admin = with_admin()
    other = uuid4()
    member.add_user(other, frozenset({Role.ADMIN}), third_party_declarant=False, actor=ACTOR)

    member.change_user_roles(admin, frozenset({Role.CONVOCATION}), ACTOR)

    assert member.roles_of(admin) == {Role.CONVOCATION}
    assert (
        refusal_code(lambda: member.change_user_roles(other, frozenset({Role.BILLING}), ACTOR))
        == "LAST_ADMINISTRATOR"
    )


def test_the_last_administrator_cannot_be_removed() -> None:
    member, admin = with_admin()
    member.add_user(uuid4(), frozenset({Role.BILLING}), third_party_declarant=False, actor=ACTOR)
    member.collect_events()

    assert refusal_code(lambda: member.remove_user(admin, ACTOR)) == "LAST_ADMINISTRATOR"
    assert member.user(admin) is not None
    assert events_of(member) == []


def test_an_administrator_is_removed_when_another_remains() -> None:
    member, admin = with_admin()
    other = uuid4()
    member.add_user(other, frozenset({Role.ADMIN}), third_party_declarant=False, actor=ACTOR)
    member.collect_events()

    member.remove_user(admin, ACTOR)

    assert member.user(admin) is None
    assert member.roles_of(admin) == frozenset()
    assert [u.account_id for u in member.users] == [other]
    assert events_of(member) == ["UserRemoved"]
    assert refusal_code(lambda: member.remove_user(other, ACTOR)) == "LAST_ADMINISTRATOR"


def test_a_user_is_removed() -> None:
    member, _ = with_admin()
    user = uuid4()
    member.add_user(user, frozenset({Role.BILLING}), third_party_declarant=False, actor=ACTOR)

    member.remove_user(user, ACTOR)

    assert member.user(user) is None
    assert refusal_code(lambda: member.remove_user(user, ACTOR)) == "USER_NOT_FOUND"


def test_without_any_administrator_a_user_can_still_be_removed_or_changed() -> None:
    member = a_member()
    first, second = uuid4(), uuid4()
    billing = frozenset({Role.BILLING})
    for account in (first, second):
        member.add_user(account, billing, third_party_declarant=False, actor=ACTOR)

    member.change_user_roles(first, frozenset({Role.CONVOCATION}), ACTOR)
    member.remove_user(second, ACTOR)

    assert [(u.account_id, u.roles) for u in member.users] == [
        (first, frozenset({Role.CONVOCATION}))
    ]


def test_each_user_chooses_their_notifications() -> None:
    member, admin = with_admin()
    user = uuid4()
    member.add_user(user, frozenset({Role.BILLING}), third_party_declarant=False, actor=ACTOR)
    member.collect_events()

    member.choose_notifications(user, frozenset({Notification.INVOICES}), ACTOR)
    member.choose_notifications(user, frozenset({Notification.INVOICES}), ACTOR)
    member.choose_notifications(admin, frozenset(), ACTOR)

    assert member.user(user).notifications == {Notification.INVOICES}  # type: ignore[union-attr]
    assert member.user(admin).notifications == frozenset()  # type: ignore[union-attr]
    assert events_of(member) == ["NotificationsChosen", "NotificationsChosen"]
    assert (
        refusal_code(lambda: member.choose_notifications(uuid4(), DEFAULT_NOTIFICATIONS, ACTOR))
        == "USER_NOT_FOUND"
    )


def test_roles_survive_a_change_of_notifications_and_the_other_way_round() -> None:
    member, _ = with_admin()
    user = uuid4()
    member.add_user(user, frozenset({Role.BILLING}), third_party_declarant=True, actor=ACTOR)

    member.choose_notifications(user, frozenset({Notification.SERVICE_NEWS}), ACTOR)
    member.change_user_roles(user, frozenset({Role.CONVOCATION}), ACTOR)

    assert member.user(user) == MemberUser(
        user,
        frozenset({Role.CONVOCATION}),
        third_party_declarant=True,
        notifications=frozenset({Notification.SERVICE_NEWS}),
    )


# Accounts ------------------------------------------------------------------------------------


def an_account(email: Email = EMAIL) -> Account:
    account = Account.open(
        email=email,
        last_name="Durand",
        first_name="Claire",
        function="Gérante",
        mobile=None,
        kind=AccountKind.MEMBER_USER,
        actor=ACTOR,
    )
    account.collect_events()
    return account


def test_a_new_accounts_id_does_not_follow_from_its_email() -> None:
    account = an_account(Email("Claire.Durand@Boulangerie.FR"))

    assert account.id != account_id_of(EMAIL)
    assert account.id != an_account(Email("Claire.Durand@Boulangerie.FR")).id
    assert account.display_name == "Claire Durand"


def test_the_id_of_an_account_opened_before_follows_from_its_email_whatever_the_case() -> None:
    assert account_id_of(EMAIL) == account_id_of(Email("CLAIRE.DURAND@BOULANGERIE.FR"))
    assert account_id_of(EMAIL) != account_id_of(Email("claire@boulangerie.fr"))


def test_an_erased_account_names_no_one_and_is_erased_once() -> None:
    account = an_account()

    account.erase(ACTOR)

    assert account.erased
    assert (account.email, account.first_name, account.last_name, account.mobile) == (None,) * 4
    assert account.password_hash is None
    with pytest.raises(RuleViolation) as refused:
        account.erase(ACTOR)
    assert refused.value.code == "ACCOUNT_ERASED"


def test_an_account_needs_a_name_and_a_function() -> None:
    with pytest.raises(InvalidValue) as refused:
        Account.open(
            email=EMAIL,
            last_name=" ",
            first_name="Claire",
            function="Gérante",
            mobile=None,
            kind=AccountKind.MEMBER_USER,
            actor=ACTOR,
        )
    assert refused.value.field == "last_name"


def test_a_new_account_has_no_password() -> None:
    account = an_account()

    assert account.password_hash is None
    assert not account.must_change_password


def test_an_issued_password_must_be_changed() -> None:
    account = an_account()

    account.issue_password("$argon2id$issued", ACTOR)

    assert account.password_hash == "$argon2id$issued"
    assert account.must_change_password
    assert events_of(account) == ["PasswordIssued"]


def test_a_changed_password_need_not_be_changed_again() -> None:
    account = an_account()
    account.issue_password("$argon2id$issued", ACTOR)

    account.change_password("$argon2id$chosen", Actor(str(account.id)))

    assert account.password_hash == "$argon2id$chosen"
    assert not account.must_change_password


def test_a_password_reset_by_link_need_not_be_changed_again() -> None:
    account = an_account()
    account.issue_password("$argon2id$issued", ACTOR)

    account.reset_password("$argon2id$reset", Actor(str(account.id)))

    assert account.password_hash == "$argon2id$reset"
    assert not account.must_change_password
    assert events_of(account) == ["PasswordIssued", "PasswordReset"]


def test_a_password_issued_again_must_be_changed_again() -> None:
    account = an_account()
    account.change_password("$argon2id$chosen", ACTOR)

    account.issue_password("$argon2id$issued", ACTOR)

    assert account.must_change_password


def test_no_sign_in_by_password_without_a_password() -> None:
    account = an_account()

    with pytest.raises(RuleViolation) as refused:
        account.record_login(LoginMethod.PASSWORD, ACTOR)

    assert refused.value.code == "NO_PASSWORD"
    assert events_of(account) == []


def test_sign_ins_failures_and_sign_outs_are_recorded() -> None:
    account = an_account()
    account.record_login(LoginMethod.ONE_TIME_CODE, ACTOR)
    account.issue_password("$argon2id$issued", ACTOR)
    account.record_login(LoginMethod.PASSWORD, ACTOR)
    account.record_failed_login(LoginMethod.PASSWORD, LoginFailure.WRONG_SECRET, ACTOR)
    account.record_logout(ACTOR)

    events = account.collect_events()

    assert [type(e).__name__ for e in events] == [
        "LoggedIn",
        "PasswordIssued",
        "LoggedIn",
        "LoginFailed",
        "LoggedOut",
    ]
    assert events[0].method is LoginMethod.ONE_TIME_CODE  # type: ignore[attr-defined]
    assert events[3].failure is LoginFailure.WRONG_SECRET  # type: ignore[attr-defined]


@pytest.mark.parametrize("right", list(Right), ids=lambda right: right.value)
def test_every_right_refused_is_named_in_french(right: Right) -> None:
    from api.authorization import forbidden_message

    assert forbidden_message(right).startswith("Vos rôles ne vous permettent pas")
