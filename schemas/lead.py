"""People, roles, teams and organisations responsible for work."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from schemas.columns import COUNCIL, ID, column


class LeadKind(str, Enum):
    ROLE = "role"
    TEAM = "team"
    ORGANISATION = "organisation"
    PERSON = "person"


@dataclass
class Lead:
    id: str = column(ID)
    council: str | None = column(COUNCIL)
    name: str = column("The person, role, team or organisation, as written")
    kind: str = column("role, team, organisation or person")
