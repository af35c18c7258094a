"""The mapper between domain events and stored events.

- msgspec JSON payloads, decoded back to exact types (`storage.codec`);
- no text the store cannot hold (NUL, lone surrogates), whatever field holds it;
- personal data sealed field by field with the person's own key (`storage.keys`): the fields
  are named by the aggregate's `personal_data`, in its events and in its snapshots alike. When a
  key has been destroyed, those fields read back as None ("erased").
"""

import base64
from collections.abc import Hashable
from datetime import datetime
from functools import cache
from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol, Snapshot
from eventsourcing.persistence import (
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    Transcoder,
    find_id_convertor,
)
from eventsourcing.utils import get_topic, resolve_topic

from domain.personal_data import PersonalData
from storage import codec
from storage.keys import CATEGORIES, SubjectKeys

SEALED = "$sealed"
SNAPSHOT_STATE_TYPES = {
    "_id": UUID,
    "_version": int,
    "_created_on": datetime,
    "_modified_on": datetime,
}


class MsgspecTranscoder(Transcoder):
    """Untyped msgspec JSON; the mapper restores the types."""

    def encode(self, obj: Any) -> bytes:
        return codec.encode(obj)

    def decode(self, data: bytes) -> Any:
        return codec.decode(data)


class RegistreMapper(Mapper[UUID]):
    def __init__(self, keys: SubjectKeys, **kwargs: Any):
        super().__init__(transcoder=MsgspecTranscoder(), **kwargs)
        self.keys = keys

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        state = dict(vars(domain_event))
        codec.check_storable(state)
        subject = domain_event.originator_id
        if isinstance(domain_event, Snapshot):
            personal = _personal_data(resolve_topic(state["topic"]))
            if personal:
                state["state"] = self._seal(subject, dict(state["state"]), personal, create=False)
        else:
            personal = _personal_data(_owner(type(domain_event)))
            is_new = domain_event.originator_version == 1
            state = self._seal(subject, state, personal, create=True, is_new=is_new)
        if not personal:
            return super().to_stored_event(domain_event)
        sealed_event = object.__new__(type(domain_event))
        object.__setattr__(sealed_event, "__dict__", state)
        return super().to_stored_event(sealed_event)

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        event_class = _plain_event_class(stored_event.topic)
        if event_class is None:
            return self._snapshot_or_upcast(stored_event)
        subject = stored_event.originator_id
        try:
            state = codec.decode(self._unwrapped(stored_event.state))
        except Exception as error:
            raise _undecodable(stored_event, error) from error
        state.pop("class_version", None)  # a version-1 class has nothing to upcast
        state["originator_id"] = find_id_convertor(event_class, cast(Hashable, type(subject)))(
            subject
        )
        state["originator_version"] = stored_event.originator_version
        personal = _personal_data(_owner(event_class))
        if personal:
            self._open(cast(UUID, state["originator_id"]), state, personal)
        event: Any = object.__new__(event_class)
        object.__setattr__(event, "__dict__", codec.typed(event_class, state))
        return cast(DomainEventProtocol[UUID], event)

    def _unwrapped(self, state: bytes) -> bytes:
        """The stored state deciphered and decompressed, when the store is configured so."""
        if self.cipher:
            state = self.cipher.decrypt(state)
        if self.compressor:
            state = self.compressor.decompress(state)
        return state

    def _snapshot_or_upcast(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        """eventsourcing's own decoding (upcasting included), then the types and the opened
        personal fields of a snapshot's state or of an upcast event."""
        event = super().to_domain_event(stored_event)
        state = vars(event)
        event_class = type(event)
        subject = cast(UUID, state["originator_id"])
        if isinstance(event, Snapshot):
            aggregate_class = resolve_topic(state["topic"])
            inner = self._open(subject, state.pop("state"), _personal_data(aggregate_class))
            typed = codec.typed(event_class, state)
            typed["state"] = codec.typed(aggregate_class, inner, SNAPSHOT_STATE_TYPES)
        else:
            personal = _personal_data(_owner(event_class))
            typed = codec.typed(event_class, self._open(subject, state, personal))
        object.__setattr__(event, "__dict__", typed)
        return event

    def _seal(
        self,
        subject: UUID,
        state: dict[str, Any],
        personal: PersonalData,
        *,
        create: bool,
        is_new: bool = False,
    ) -> dict[str, Any]:
        """Seal the non-empty personal fields. Events may make the person's first key; snapshots
        only use keys their events already stored, and keep nothing whose key was destroyed."""
        for name, category in personal.items():
            if not state.get(name):
                continue
            sealer = self.keys.sealer(subject, category, create=create, is_new=is_new)
            if sealer is None:
                state[name] = None
                continue
            plaintext = codec.encode({"v": state[name]})
            ciphertext = sealer.seal(plaintext, _context(subject, name))
            state[name] = {SEALED: category.value, "data": base64.b64encode(ciphertext).decode()}
        return state

    def _open(self, subject: UUID, state: dict[str, Any], personal: PersonalData) -> dict[str, Any]:
        for name in personal:
            value = state.get(name)
            if not (isinstance(value, dict) and SEALED in value):
                continue
            sealer = self.keys.sealer(subject, CATEGORIES[value[SEALED]], create=False)
            if sealer is None:
                state[name] = None
                continue
            plaintext = sealer.open(base64.b64decode(value["data"]), _context(subject, name))
            state[name] = codec.decode(plaintext)["v"]
        return state


def _context(subject: UUID, field: str) -> bytes:
    return f"{subject}:{field}".encode()


@cache
def _plain_event_class(topic: str) -> type | None:
    """The class of an event decoded straight from its JSON: neither a snapshot nor a class
    whose older versions are upcast (those go through eventsourcing's mapper)."""
    event_class = cast(type, resolve_topic(topic))
    if issubclass(event_class, Snapshot) or getattr(event_class, "class_version", 1) != 1:
        return None
    return event_class


def _undecodable(stored_event: StoredEvent, error: Exception) -> MapperDeserialisationError:
    return MapperDeserialisationError(
        f"Failed to deserialise state of stored event with topic '{stored_event.topic}',"
        f" originator_id '{stored_event.originator_id}' and originator_version"
        f" {stored_event.originator_version}: {error}"
    )


@cache
def holds_personal_data(topic: str) -> bool:
    """Whether events of this topic may hold sealed fields (those of others need no key); an
    unknown topic may (its event is reported unreadable when decoded)."""
    try:
        return bool(_personal_data(_owner(resolve_topic(topic))))
    except Exception:  # a topic that names no event class (its event is reported unreadable)
        return True


@cache
def _owner(event_class: type) -> type | None:
    """The aggregate class an event class is nested in (`Employee.Hired` → `Employee`)."""
    topic = get_topic(event_class)
    module, _, qualname = topic.partition(":")
    if "." not in qualname:
        return None
    return cast(type, resolve_topic(f"{module}:{qualname.rsplit('.', 1)[0]}"))


def _personal_data(owner: type | None) -> PersonalData:
    return cast(PersonalData, getattr(owner, "personal_data", {}))
