"""Signing in and out (the public operations), passwords, and the member a session works on."""

from collections.abc import Callable
from time import monotonic
from typing import Annotated, TypeVar
from uuid import UUID

import strawberry
from anyio import sleep

from api.accounts.types import Done, MailSent, SignedIn
from api.authorization import PUBLIC, SIGNED_IN, Rule, mutation
from api.commands import CommandInput
from api.context import Context, GraphQLInfo
from api.failures import Failure, failure_of
from api.message_mutations import message_from
from api.services import Services
from api.threads import blocking
from application.accounts.access import Access, NewSession
from application.accounts.access_store import Session
from application.accounts.commands import NewAccount
from domain.errors import DomainError

T = TypeVar("T")

SAME_ANSWER = (
    "Si cette adresse est celle d'un compte, un e-mail vient de lui être envoyé. Sinon, un"
    " e-mail lui explique qui contacter. Pensez à vérifier vos courriers indésirables."
)


async def attempt(call: Callable[[], T], settle: Services | None = None) -> T | Failure:
    """A blocking call in a worker thread; a domain refusal becomes its typed failure. With
    `settle`, a success waits for the read models (a refusal is not waited for: a failed sign-in
    on an account is an event, on no account it is not, and the wait would tell which)."""

    def guarded() -> T | Failure:
        try:
            outcome = call()
        except DomainError as error:
            return failure_of(error)
        if settle is not None:
            settle.settle()
        return outcome

    return await blocking(guarded)


async def answered_alike(
    info: GraphQLInfo, call: Callable[[Access, str], T], *, checks_secret: bool = False
) -> T | Failure:
    """A public operation, a call of the sign-in service from the caller's address, whose answer
    must not tell whether an e-mail has an account: it is held to the floor (on the event loop:
    no worker thread waits). With `checks_secret`, a success (the right secret: it tells nothing
    its holder did not know) is not held, and waits for the read models instead."""
    context = info.context
    services = context.services
    started = monotonic()
    outcome = await attempt(
        lambda: call(services.access, context.address), services if checks_secret else None
    )
    if not checks_secret or isinstance(outcome, Failure):
        remaining = started + services.access.settings.answer_floor.total_seconds() - monotonic()
        if remaining > 0:
            await sleep(remaining)
    return outcome


def _session(context: Context) -> Session:
    if context.session is None:
        raise RuntimeError("a signed-in operation ran outside the authorisation guard")
    return context.session


@strawberry.input(description="Création du premier compte avec le courrier du service.")
class CreateFirstAccountInput(CommandInput):
    member_code: str
    declarant_number: str
    last_name: str
    first_name: str
    function: str
    email: str
    email_confirmation: str
    mobile: str | None = None
    third_party_declarant: bool = strawberry.field(
        default=False, description="Je suis tiers déclarant de l'entreprise (cabinet comptable)."
    )


@strawberry.input(description="Rattacher une autre entreprise à son compte.")
class AttachMemberInput(CommandInput):
    member_code: str
    declarant_number: str
    third_party_declarant: bool = False


@strawberry.type(description="Compte créé : le mot de passe est envoyé par e-mail.")
class FirstAccountCreated:
    account_id: UUID
    message: str


@strawberry.type(description="L'entreprise est rattachée au compte (administrateur).")
class MemberAttached:
    member_id: UUID


@strawberry.type(description="La session travaille désormais sur cet adhérent.")
class MemberSwitched:
    member_id: UUID


MailResult = Annotated[MailSent | Failure, strawberry.union("MailResult")]
SignInResult = Annotated[SignedIn | Failure, strawberry.union("SignInResult")]
DoneResult = Annotated[Done | Failure, strawberry.union("DoneResult")]
CreateFirstAccountResult = Annotated[
    FirstAccountCreated | Failure, strawberry.union("CreateFirstAccountResult")
]
AttachMemberResult = Annotated[MemberAttached | Failure, strawberry.union("AttachMemberResult")]
SwitchMemberResult = Annotated[MemberSwitched | Failure, strawberry.union("SwitchMemberResult")]


async def _mail_requested(info: GraphQLInfo, call: Callable[[Access, str], None]) -> MailResult:
    outcome = await answered_alike(info, call)
    return MailSent(message=SAME_ANSWER) if outcome is None else outcome


async def _signed_in(info: GraphQLInfo, call: Callable[[Access, str], NewSession]) -> SignInResult:
    outcome = await answered_alike(info, call, checks_secret=True)
    return outcome if isinstance(outcome, Failure) else SignedIn.of(outcome)


@strawberry.type
class AccessMutations:
    @mutation("Recevoir par e-mail un code de connexion valable 30 minutes.", PUBLIC)
    async def request_login_code(self, info: GraphQLInfo, email: str) -> MailResult:
        return await _mail_requested(
            info, lambda access, address: access.request_login_code(email, address)
        )

    @mutation("Se connecter avec le code reçu par e-mail.", PUBLIC)
    async def login_with_code(self, info: GraphQLInfo, email: str, code: str) -> SignInResult:
        return await _signed_in(
            info, lambda access, address: access.login_with_code(email, code, address)
        )

    @mutation("Se connecter avec son adresse e-mail et son mot de passe.", PUBLIC)
    async def login_with_password(
        self, info: GraphQLInfo, email: str, password: str
    ) -> SignInResult:
        return await _signed_in(
            info, lambda access, address: access.login_with_password(email, password, address)
        )

    @mutation("Mot de passe oublié : recevoir un lien de réinitialisation.", PUBLIC)
    async def request_password_reset(self, info: GraphQLInfo, email: str) -> MailResult:
        return await _mail_requested(
            info, lambda access, address: access.request_password_reset(email, address)
        )

    @mutation("Choisir un nouveau mot de passe avec le jeton du lien reçu.", PUBLIC)
    async def reset_password(self, info: GraphQLInfo, token: str, new_password: str) -> DoneResult:
        outcome = await answered_alike(
            info,
            lambda access, address: access.reset_password(token, new_password, address),
            checks_secret=True,
        )
        if outcome is not None:
            return outcome
        return Done(message="Mot de passe changé : connectez-vous avec le nouveau.")

    @mutation(
        "Créer le premier compte d'un adhérent avec son code adhérent et son numéro"
        " télédéclarant (courrier du service) : la personne en devient administrateur.",
        PUBLIC,
    )
    async def create_first_account(
        self, info: GraphQLInfo, input: CreateFirstAccountInput
    ) -> CreateFirstAccountResult:
        context = info.context
        services = context.services

        def create() -> FirstAccountCreated:
            account_id = services.access.create_first_account(
                request_id=input.request_id,
                member_code=input.member_code,
                declarant_number=input.declarant_number,
                person=message_from(NewAccount, input),
                email_confirmation=input.email_confirmation,
                third_party_declarant=input.third_party_declarant,
                address=context.address,
            )
            services.settle()
            return FirstAccountCreated(
                account_id=account_id,
                message="Compte créé : votre mot de passe vient de vous être envoyé par e-mail.",
            )

        return await attempt(create)

    @mutation(
        "Changer son mot de passe : toutes les sessions se ferment, un nouveau jeton est donné.",
        Rule(right=None, before_password_change=True),
    )
    async def change_password(
        self, info: GraphQLInfo, current_password: str, new_password: str
    ) -> SignInResult:
        context = info.context
        session = _session(context)
        outcome = await attempt(
            lambda: context.services.access.change_password(
                session, current_password, new_password
            ),
            context.services,
        )
        return outcome if isinstance(outcome, Failure) else SignedIn.of(outcome)

    @mutation("Se déconnecter : le jeton cesse aussitôt de servir.", SIGNED_IN)
    async def logout(self, info: GraphQLInfo) -> DoneResult:
        context = info.context
        session = _session(context)
        outcome = await attempt(lambda: context.services.access.logout(session), context.services)
        return Done(message="Vous êtes déconnecté.") if outcome is None else outcome

    @mutation("Travailler sur un autre de ses adhérents (liste des regroupées).", Rule(right=None))
    async def switch_member(self, info: GraphQLInfo, member_id: UUID) -> SwitchMemberResult:
        context = info.context
        session = _session(context)
        outcome = await attempt(lambda: context.services.access.switch_member(session, member_id))
        return MemberSwitched(member_id=member_id) if outcome is None else outcome

    @mutation(
        "Rattacher une autre entreprise à son compte avec son code adhérent et son numéro"
        " télédéclarant.",
        Rule(right=None),
    )
    async def attach_member(
        self, info: GraphQLInfo, input: AttachMemberInput
    ) -> AttachMemberResult:
        context = info.context
        session = _session(context)

        def attach() -> MemberAttached:
            member_id = context.services.access.attach_member(
                session,
                request_id=input.request_id,
                member_code=input.member_code,
                declarant_number=input.declarant_number,
                third_party_declarant=input.third_party_declarant,
                address=context.address,
            )
            context.services.settle()
            return MemberAttached(member_id=member_id)

        return await attempt(attach)
