"""The visits context's files: plain HTTP beside GraphQL, since files go down.

    GET /visits/{member_id}/activity/{year}/summary.pdf                       (READ_COMPANY)
         200: the member's activity summary of that year as it stands today (Paris), printed
         (`application.visits.activity_summary`): the same summary on the same day gives the
         same bytes; its SHA-256 in `X-Content-SHA256` and `ETag`.
         404 MEMBER_NOT_FOUND: an unknown member, and the same answer, word for word, for a
         member outside the caller's reach.
         404 ACTIVITY_SUMMARY_NOT_FOUND: a year no calendar holds.

Access as on the billing documents (`api.plain_access.authorised_member`): no session 401; the
password sent by the service still to change 403; the right missing 403 (logged in the access
log): every user of the member, the service's staff and auditors.
"""

from typing import Any
from uuid import UUID

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from api.downloads import download
from api.plain_access import authorised_member
from api.services import Services
from api.threads import blocking
from application.visits.activity_summary import activity_summary_pdf
from domain.accounts.access import Right
from projections.visits.activity_queries import ActivityQueries
from storage.documents import sha256_of

SUMMARY_OPERATION = "activitySummaryPdf"
"""The operation's name in the access log."""


@get("/visits/{member_id:uuid}/activity/{year:int}/summary.pdf")
async def activity_summary(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    member_id: FromPath[UUID],
    year: FromPath[int],
) -> Response[bytes]:
    """The member's activity summary of `year`, printed (READ_COMPANY)."""
    _, member = await authorised_member(
        request, services, member_id, Right.READ_COMPANY, SUMMARY_OPERATION
    )
    today = services.clock.today()

    def render() -> bytes:
        summary = services.read(ActivityQueries).summary(member_id, year)
        if summary is None:
            raise NotFoundException(
                "Il n'y a pas de synthèse d'activité pour cette année.",
                extra={"code": "ACTIVITY_SUMMARY_NOT_FOUND"},
            )
        return activity_summary_pdf(summary, member.legal_name, member.member_code, today)

    content = await blocking(render)
    return download(content, "application/pdf", f"synthese-activite-{year}.pdf", sha256_of(content))


ROUTES = (activity_summary,)
