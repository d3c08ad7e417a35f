"""Partnership classifier (classify step): article title + text -> Verdict.

A transparent rule layer (rules.py) finds the evidence; a small trained layer (model.py,
weights.json, rebuilt by `jajak train`) scores it. Imports neither Scrapy nor SQLAlchemy.
"""

from __future__ import annotations

from .hybrid import DEFAULT_THRESHOLD, MODEL_VERSION, classify
from .verdict import Stage, Verdict

__all__ = ["DEFAULT_THRESHOLD", "MODEL_VERSION", "Stage", "Verdict", "classify"]
