"""Partnership classifier (classify step): article title + text -> Verdict. Standard library only.

A trained model can later replace `rules` behind the same `classify` signature.
"""

from __future__ import annotations

from .rules import DEFAULT_THRESHOLD, MODEL_VERSION, classify
from .verdict import Stage, Verdict

__all__ = ["DEFAULT_THRESHOLD", "MODEL_VERSION", "Stage", "Verdict", "classify"]
