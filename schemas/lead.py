"""People, roles, teams and organisations responsible for work."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class LeadKind(str, Enum):
    ROLE = "role"
    TEAM = "team"
    ORGANISATION = "organisation"
    PERSON = "person"


@dataclass
class Lead:
    id: str
    council: str | None
    name: str
    kind: str
