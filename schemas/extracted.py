"""What extraction hands the store: a document, its blocks and every record found in them."""
from __future__ import annotations

from dataclasses import dataclass, field

from schemas.action import Action
from schemas.block import Block
from schemas.cohort import Cohort
from schemas.document import Document
from schemas.lead import Lead
from schemas.metric import Metric
from schemas.priority import Priority
from schemas.target import Target


@dataclass
class ExtractedDocument:
    document: Document
    blocks: list[Block]
    priorities: list[Priority] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    cohorts: list[Cohort] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    raw_tables: list[Block] = field(default_factory=list)  # tables not turned into metrics
