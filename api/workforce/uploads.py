"""What the endpoints importing a spreadsheet share (the CMR exposures, the workforce): reading
the uploaded file, then answering with the plan (a dry run, or a file with errors) or with what
applying it recorded."""

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import msgspec
from litestar import Request, Response
from litestar.datastructures import UploadFile
from litestar.status_codes import HTTP_200_OK, HTTP_422_UNPROCESSABLE_ENTITY

from api.context import new_request_id
from api.threads import blocking
from application.requests import Request as CommandRequest
from application.workforce.exposure_import import RowFailure
from application.workforce.xlsx_safety import ImportFileError
from domain.actor import Actor

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_FIELD = "file"


class FileRefused(msgspec.Struct):
    code: str
    message: str
    can_apply: bool = False


class FailureReport(msgspec.Struct):
    """The row whose command was refused half-way through applying a file."""

    row: int
    code: str
    message: str


def failure_report(failure: RowFailure | None) -> FailureReport | None:
    return None if failure is None else FailureReport(failure.row, failure.code, failure.message)


class _Plan(Protocol):
    @property
    def can_apply(self) -> bool: ...


class _Outcome(Protocol):
    @property
    def failure(self) -> object | None: ...


P = TypeVar("P", bound=_Plan)
Out = TypeVar("Out", bound=_Outcome)


async def import_answer(
    request: Request[Any, Any, Any],
    actor: Actor,
    *,
    dry_run: bool,
    plan: Callable[[bytes], P],
    report: Callable[[P, bool], msgspec.Struct],
    apply: Callable[[P, CommandRequest], Out],
    applied: Callable[[Out], msgspec.Struct],
) -> Response[Any]:
    """The upload planned, then: 200 with its `report` on a dry run; 422 with it when the file
    has errors; otherwise applied, 200 with what was `applied` (422 when a command was refused
    half-way). 422 `FileRefused` when the file cannot be read."""
    try:
        content = await _upload(request)
        planned = await blocking(lambda: plan(content))
    except ImportFileError as error:
        refused = FileRefused(error.code, error.message)
        return Response(refused, status_code=HTTP_422_UNPROCESSABLE_ENTITY)
    if dry_run or not planned.can_apply:
        status = HTTP_200_OK if dry_run else HTTP_422_UNPROCESSABLE_ENTITY
        return Response(report(planned, dry_run), status_code=status)
    command_request = CommandRequest(new_request_id(), actor)
    outcome = await blocking(lambda: apply(planned, command_request))
    status = HTTP_200_OK if outcome.failure is None else HTTP_422_UNPROCESSABLE_ENTITY
    return Response(applied(outcome), status_code=status)


async def _upload(request: Request[Any, Any, Any]) -> bytes:
    """The file: the request's body, or the form's field `file`."""
    if request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        form = await request.form()
        file = form.get(UPLOAD_FIELD)
        if not isinstance(file, UploadFile):
            raise ImportFileError(
                f"Joignez le classeur dans le champ « {UPLOAD_FIELD} » du formulaire.",
                code="EMPTY_FILE",
            )
        return await file.read()
    return await request.body()
