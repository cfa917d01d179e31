"""Record types of workforce-kb; field names are the KB column names."""
from schemas.action import Action, ActionKind
from schemas.block import Block, BlockKind, Line
from schemas.cohort import Cohort, CohortStatus
from schemas.document import Document, DocType
from schemas.extracted import ExtractedDocument
from schemas.lead import Lead, LeadKind
from schemas.metric import Metric
from schemas.priority import Priority
from schemas.target import Target

__all__ = [
    "Action", "ActionKind", "Block", "BlockKind", "Cohort", "CohortStatus", "DocType",
    "Document", "ExtractedDocument", "Lead", "LeadKind", "Line", "Metric", "Priority", "Target",
]
