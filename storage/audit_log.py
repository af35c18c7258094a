"""The chained event log checked offline, and its export for auditors.

An export is JSON Lines: a header (format, the position it stops at, the signed checkpoints up
to there and their public keys), one line per event as stored (the state's bytes in base64:
sealed fields stay sealed), and a last line counting the events, so a cut file is told from a
short log. It is written and read a batch at a time: the log is never held in memory.

`ChainVerifier` computes the chain again, event after event, checks each checkpoint's signature
and that the chain passes through it, and names the first event that breaks it and how.
"""

import base64
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from uuid import UUID

import msgspec

from storage.chain import START, ChainReader, Link, Row, batches, next_link
from storage.checkpoints import Checkpoint, encode

FORMAT = "registre-audit-export"
FORMAT_VERSION = 1
BATCH = 1000


@dataclass(frozen=True, slots=True)
class Break:
    """The first event (or position) where the log no longer fits its chain."""

    position: int
    reason: str
    originator_id: UUID | str | None = None
    version: int | None = None

    def describe(self) -> str:
        where = f"position {self.position}"
        if self.originator_id is not None:
            where += f" (agrégat {self.originator_id}, version {self.version})"
        return f"première rupture à la {where} : {self.reason}"


@dataclass(slots=True)
class Verdict:
    events: int = 0
    checkpoints_checked: int = 0
    public_keys: list[bytes] = field(default_factory=list)
    refused_checkpoints: list[str] = field(default_factory=list)
    broken: Break | None = None

    @property
    def holds(self) -> bool:
        return self.broken is None and not self.refused_checkpoints


def _date(checkpoint: Checkpoint) -> str:
    return checkpoint.at.strftime("%d/%m/%Y %H:%M:%S UTC")


class ChainVerifier:
    """Feed it the rows in log order, then read `verdict()`."""

    def __init__(self, checkpoints: Iterable[Checkpoint], trusted: set[bytes] | None = None):
        self.result = Verdict()
        self._end = START
        self._last_position = 0
        self._last_checked: Checkpoint | None = None
        self._missing: range | None = None
        self._pending: list[Checkpoint] = []
        for checkpoint in sorted(checkpoints, key=lambda c: c.position):
            if checkpoint.public_key not in self.result.public_keys:
                self.result.public_keys.append(checkpoint.public_key)
            if not checkpoint.signature_holds():
                self._refuse(checkpoint, "sa signature est fausse")
            elif trusted is not None and checkpoint.public_key not in trusted:
                self._refuse(checkpoint, "il n'est pas signé par la clé du service")
            else:
                self._pending.append(checkpoint)

    def _refuse(self, checkpoint: Checkpoint, why: str) -> None:
        self.result.refused_checkpoints.append(
            f"point de contrôle de la position {checkpoint.position} ({_date(checkpoint)})"
            f" refusé : {why}"
        )

    def feed(self, row: Row) -> None:
        if self.result.broken is not None:
            self._refine(row)
            return
        self.result.events += 1
        try:
            reason, link = self._check(row)
        except (TypeError, ValueError, AttributeError, OverflowError):
            reason, link = "il est illisible : il a été modifié hors de l'application", START
        if reason is None:
            reason = self._check_checkpoint(row, link)
        if reason is not None:
            self.result.broken = Break(
                row.position, reason, row.originator_id, row.originator_version
            )
            return
        self._end = link
        self._last_position = row.position

    def _check(self, row: Row) -> tuple[str | None, Link]:
        expected = self._end.seq + 1
        if row.seq is None or row.hash is None:
            return "il n'a pas d'empreinte de chaîne : il a été écrit hors de l'application", START
        if row.seq > expected:
            self._missing = range(expected, row.seq)
            return self._missing_reason(None), START
        if row.seq < expected:
            return (
                f"il porte le rang {row.seq} de la chaîne mais vient après le rang"
                f" {expected - 1} : il a été déplacé"
            ), START
        link = next_link(self._end, row)
        if link.hash != row.hash:
            return (
                "son contenu a été modifié depuis son enregistrement : il ne correspond plus à"
                " son empreinte"
            ), START
        return None, link

    def _check_checkpoint(self, row: Row, link: Link) -> str | None:
        while self._pending and self._pending[0].position <= row.position:
            checkpoint = self._pending.pop(0)
            since = self._last_checked.position if self._last_checked else 0
            if checkpoint.position < row.position:
                return (
                    f"le point de contrôle signé du {_date(checkpoint)} atteste un événement à la"
                    f" position {checkpoint.position}, qui n'est plus dans le journal"
                )
            if checkpoint.link != link:
                return (
                    f"la chaîne ne passe plus par le point de contrôle signé du"
                    f" {_date(checkpoint)} : l'historique a été réécrit entre les positions"
                    f" {since + 1} et {row.position}"
                )
            self._last_checked = checkpoint
            self.result.checkpoints_checked += 1
        return None

    def _missing_reason(self, found_at: int | None) -> str:
        missing = self._missing or range(0)
        if found_at is not None:
            return (
                f"il porte le rang {missing.stop} de la chaîne mais prend la place du rang"
                f" {missing.start}, qui se trouve plus loin (position {found_at}) : des"
                " événements ont été déplacés"
            )
        if len(missing) == 1:
            return (
                f"l'événement de rang {missing.start} de la chaîne, qui le précédait, manque :"
                " supprimé"
            )
        return (
            f"les événements de rang {missing.start} à {missing.stop - 1} de la chaîne, qui le"
            " précédaient, manquent : supprimés"
        )

    def _refine(self, row: Row) -> None:
        """After a gap, whether the first missing event is further on (moved) or nowhere."""
        broken = self.result.broken
        if self._missing is not None and broken is not None and row.seq == self._missing.start:
            reason = self._missing_reason(row.position)
            self.result.broken = Break(
                broken.position, reason, broken.originator_id, broken.version
            )
            self._missing = None

    def verdict(self) -> Verdict:
        if self.result.broken is None and self._pending:
            checkpoint = self._pending[0]
            self.result.broken = Break(
                checkpoint.position,
                f"le journal s'arrête à la position {self._last_position}, mais le point de"
                f" contrôle signé du {_date(checkpoint)} atteste {checkpoint.link.seq}"
                f" événements jusqu'à la position {checkpoint.position} : les derniers ont été"
                " supprimés",
            )
        return self.result


# Export ----------------------------------------------------------------------------------------


class ExportError(Exception):
    """The file is not a readable export (its message is French)."""


def write_export(
    reader: ChainReader,
    checkpoints: list[Checkpoint],
    head: int,
    out: IO[bytes],
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> int:
    """Writes the log up to `head` with the checkpoints (read before the head: one beyond it
    tells that the log was cut); how many events."""
    kept = list(checkpoints)
    header = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "head": head,
        "public_keys": sorted({encode(c.public_key) for c in kept}),
        "checkpoints": [c.to_json() for c in kept],
    }
    out.write(msgspec.json.encode(header) + b"\n")
    count = 0
    for rows in batches(reader.rows, 0, head, BATCH):
        out.write(b"".join(msgspec.json.encode(_row_json(r)) + b"\n" for r in rows))
        count += len(rows)
        progress(rows[-1].position, head)
    out.write(msgspec.json.encode({"end": True, "events": count}) + b"\n")
    return count


def _row_json(row: Row) -> dict[str, Any]:
    return {
        "position": row.position,
        "originator_id": str(row.originator_id),
        "originator_version": row.originator_version,
        "topic": row.topic,
        "state": base64.b64encode(row.state).decode(),
        "seq": row.seq,
        "hash": None if row.hash is None else row.hash.hex(),
    }


@dataclass(slots=True)
class Export:
    """An export being read: its checkpoints, then its rows (once)."""

    checkpoints: list[Checkpoint]
    head: int
    lines: Iterator[bytes]
    complete: bool = False

    def rows(self) -> Iterator[Row]:
        for number, line in enumerate(self.lines, start=2):
            data = _decode(line, number)
            if data.get("end") is True:
                self.complete = True
                return
            try:
                yield Row(
                    position=int(data["position"]),
                    originator_id=UUID(data["originator_id"]),
                    originator_version=int(data["originator_version"]),
                    topic=str(data["topic"]),
                    state=base64.b64decode(data["state"], validate=True),
                    seq=None if data["seq"] is None else int(data["seq"]),
                    hash=None if data["hash"] is None else bytes.fromhex(data["hash"]),
                )
            except (KeyError, TypeError, ValueError) as error:
                raise ExportError(f"ligne {number} : événement illisible") from error


def read_export(source: IO[bytes]) -> Export:
    lines = iter(source)
    header = _decode(next(lines, b""), 1)
    if header.get("format") != FORMAT or header.get("version") != FORMAT_VERSION:
        raise ExportError("ce fichier n'est pas un export du journal de Registre")
    try:
        checkpoints = [Checkpoint.from_json(c) for c in header["checkpoints"]]
        head = int(header["head"])
    except (KeyError, TypeError, ValueError) as error:
        raise ExportError("ligne 1 : points de contrôle illisibles") from error
    return Export(checkpoints, head, lines)


def _decode(line: bytes, number: int) -> dict[str, Any]:
    try:
        data = msgspec.json.decode(line)
    except msgspec.DecodeError:
        data = None
    if not isinstance(data, dict):
        raise ExportError(f"ligne {number} : ce n'est pas un objet JSON")
    return data
