"""The classifier's output value (classify step): one Verdict per article, stored next to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Stage = Literal["exploring", "negotiating", "signed", "renewed"]
STAGES: tuple[Stage, ...] = ("exploring", "negotiating", "signed", "renewed")


@dataclass(frozen=True)
class Verdict:
    """Whether an article reports a partnership being explored, negotiated, signed or renewed."""

    match: bool
    score: float
    stage: str | None
    cues: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (lists instead of tuples)."""
        return {
            "match": self.match,
            "score": self.score,
            "stage": self.stage,
            "cues": list(self.cues),
            "parties": list(self.parties),
            "sectors": list(self.sectors),
        }
