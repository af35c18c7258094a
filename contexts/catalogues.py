"""Catalogues: the reference data the declaration offers (risks, CMR agents, work situations,
occupations, the prevention questionnaire) and the service's edits of it."""

from api.catalogues.mutations import CatalogueMutations
from api.catalogues.queries import CatalogueQueries
from application.catalogues import commands
from contexts.context import Context
from domain.catalogues.edits import CatalogueEdits
from projections.catalogues.audit_summaries import SUMMARIES

CATALOGUES = Context(
    name="catalogues",
    aggregates=(CatalogueEdits,),
    commands=(commands,),
    audit_summaries=SUMMARIES,
    queries=(CatalogueQueries,),
    mutations=(CatalogueMutations,),
)
