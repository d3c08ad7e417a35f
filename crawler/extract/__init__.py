"""Extract stage (crawl -> extract -> classify): HTML in, `Extracted` article value out.

Pure functions over strings; no Scrapy and no database here.
"""

from __future__ import annotations

from .core import extract, merge_pages
from .dates import parse_indonesian_date
from .model import Extracted

__all__ = ["Extracted", "extract", "merge_pages", "parse_indonesian_date"]
