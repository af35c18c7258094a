"""GraphiQL served by the application itself: the page at `/graphql` (for a browser) and its
assets under `/graphiql/`, vendored from npm at pinned versions with their licences
(`scripts/vendor_graphiql.py`, `api/static/graphiql/versions.json`). No CDN: the page works
on a machine without internet."""

from pathlib import Path

from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

ASSETS = Path(__file__).parent / "static" / "graphiql"
ASSETS_PATH = "/graphiql"
PAGE = (ASSETS / "graphiql.html").read_text(encoding="utf-8")


def graphiql_assets() -> ControllerRouterHandler:
    return create_static_files_router(
        path=ASSETS_PATH,
        directories=[ASSETS],
        name="graphiql",
        include_in_schema=False,
        cache_control=None,
    )
