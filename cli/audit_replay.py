"""`registre audit replay --member CODE --as-of DATE [--known-at INSTANT] [--format text|json]`:
a member's workforce and CMR exposures as they stood on a day, as recorded at an instant,
computed from the stored events alone (`application.workforce.replay`), to set beside what the
read models answer. The read is written to the access log (health data)."""

import argparse
import sys
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime

import msgspec

from api.json_names import camel_keys
from application.accounts.access_store import AccessStore
from application.registre import Registre
from application.workforce.exposure_import.sheet import (
    DEGREE_LABELS,
    ROUTE_LABELS,
    show_date,
    show_number,
)
from application.workforce.replay import Replay, ReplayedEmployee, ReplayedExposure, replay_logged
from cli.arguments import command, day
from domain.calendar import PARIS
from domain.workforce.employment import ContractType, Sex
from domain.workforce.follow_up import FollowUp, FollowUpDeterminant
from domain.workforce.health import ExposureDegree, ExposureRoute
from projections.timeline import from_instant, known_by_end_of

ERASED = "(identité effacée)"
"""How an erased person is named: the API answers their names as null."""


def add_parser(actions: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """`replay`, under the `audit` command group whose subparsers are `actions`."""
    parser = command(
        actions,
        "replay",
        help="rejoue le journal : effectif et expositions CMR d'un adhérent à une date",
        description="Calcule, à partir des seuls événements enregistrés, l'effectif d'un"
        " adhérent (catégories de suivi, contrats, situations de travail) et ses expositions"
        " CMR à une date, selon ce qui était enregistré à un instant. La lecture est inscrite"
        " au journal des accès (données de santé).",
    )
    parser.add_argument("--member", required=True, metavar="CODE", help="code adhérent")
    parser.add_argument(
        "--as-of", required=True, type=day, metavar="AAAA-MM-JJ", help="date de validité"
    )
    parser.add_argument(
        "--known-at",
        type=known_at,
        metavar="INSTANT",
        help="selon ce qui était enregistré à cet instant : une date (la fin de ce jour, heure"
        " de Paris) ou un instant ISO avec son décalage (2024-03-20T14:00:00+01:00) ; par"
        " défaut maintenant",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="format de sortie (text)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    app = Registre()
    with closing(app):
        access = AccessStore.open(app.settings)
        with closing(access):
            instant: datetime = args.known_at or app.clock.now()
            replayed = replay_logged(app, access, args.member, args.as_of, instant)
    if args.format == "json":
        document = msgspec.json.encode(camel_keys(msgspec.to_builtins(replayed)))  # as clients read
        sys.stdout.write(msgspec.json.format(document).decode() + "\n")
    else:
        for line in lines(replayed):
            print(line)
    return 0


def known_at(text: str) -> datetime:
    """A date: the end of that day in Paris (as the API's `knownAt`); else an ISO instant with
    its offset."""
    try:
        if len(text) == len("AAAA-MM-JJ"):
            return from_instant(known_by_end_of(date.fromisoformat(text)))
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"« {text} » : une date AAAA-MM-JJ ou un instant avec son décalage"
            " (2024-03-20T14:00:00+01:00) est attendu"
        )
    return moment


# The French report ---------------------------------------------------------------------------


def lines(replayed: Replay) -> Iterator[str]:
    name = f" « {replayed.legal_name} »" if replayed.legal_name else " (pas encore inscrit)"
    known = replayed.known_at.astimezone(PARIS)
    yield f"Adhérent {replayed.member_code}{name}"
    yield (
        f"Situation au {show_date(replayed.as_of)}, selon ce qui était enregistré le"
        f" {known:%d/%m/%Y à %H:%M:%S} (heure de Paris)"
    )
    yield f"Calculée à partir des seuls événements : {replayed.events_read} événement(s) lu(s)."
    yield ""
    present = replayed.present
    yield f"Effectif présent : {len(present)} salarié(s)"
    yield from (f"- {_employee(e)}" for e in present)
    gone = [e for e in replayed.employees if not e.active]
    if gone:
        yield ""
        yield f"Sans contrat en cours à cette date : {len(gone)} salarié(s)"
        yield from (f"- {_gone(e)}" for e in gone)
    yield ""
    yield f"Expositions CMR en cours à cette date : {len(replayed.exposures)}"
    yield from (f"- {_exposure(e)}" for e in replayed.exposures)


def _name(birth_name: str | None, usage_name: str | None, first_name: str | None) -> str:
    if birth_name is None:
        return ERASED
    usage = f" (nom d'usage {usage_name})" if usage_name else ""
    return f"{birth_name}{usage} {first_name}"


def _person(e: ReplayedEmployee) -> str:
    born = "née" if e.sex == Sex.F.value else "né"
    born = "" if e.birth_date is None else f", {born} le {show_date(e.birth_date)}"
    return f"{_name(e.birth_name, e.usage_name, e.first_name)}{born}"


def _contract(e: ReplayedEmployee) -> str:
    kind = "" if e.contract_type is None else ContractType(e.contract_type).label
    parts = [f"{kind} n° {e.contract_number}, {e.job_title}"]
    if e.hire_date is not None:
        parts.append(f"entrée le {show_date(e.hire_date)}")
    if e.planned_end is not None:
        parts.append(f"fin prévue le {show_date(e.planned_end)}")
    if e.trial_end is not None:
        parts.append(f"fin d'essai le {show_date(e.trial_end)}")
    if e.branch_code:
        parts.append(f"établissement {e.branch_code}")
    if e.pcs_code:
        parts.append(f"PCS-ESE {e.pcs_code}")
    return ", ".join(parts)


def _employee(e: ReplayedEmployee) -> str:
    category = "" if e.category is None else FollowUp(e.category).label
    if e.visit_before_assignment:
        category += " (visite avant l'affectation)"
    situations = "; ".join(FollowUpDeterminant(d).label for d in e.determinants) or "aucune"
    return f"{_person(e)} — {category} — {_contract(e)} — situations de travail : {situations}"


def _gone(e: ReplayedEmployee) -> str:
    left = "" if e.last_day is None else f", dernier jour le {show_date(e.last_day)}"
    return f"{_person(e)} — {_contract(e)}{left}"


def _exposure(e: ReplayedExposure) -> str:
    agent = e.agent_name if e.cas_number is None else f"{e.agent_name} (CAS {e.cas_number})"
    until = "" if e.valid_to is None else f" au {show_date(e.valid_to)}"
    parts = [
        _name(e.birth_name, e.usage_name, e.first_name),
        agent,
        f"du {show_date(e.valid_from)}{until}",
    ]
    if e.routes:
        parts.append(", ".join(ROUTE_LABELS[ExposureRoute(r)] for r in e.routes))
    if e.hours_per_week is not None:
        parts.append(f"{show_number(e.hours_per_week)} h par semaine")
    if e.degree is not None:
        parts.append(f"degré {DEGREE_LABELS[ExposureDegree(e.degree)].lower()}")
    if e.comment:
        parts.append(f"« {' '.join(e.comment.split())} »")
    recorded = e.known_from.astimezone(PARIS)
    parts.append(f"enregistrée le {recorded:%d/%m/%Y à %H:%M:%S}")
    return " — ".join(parts)
