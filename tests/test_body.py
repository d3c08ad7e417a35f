"""Article bodies on awkward markup: the block chosen by evidence, split parts joined, outlet
datelines moved to `lead`, CSS/JS and widget text dropped, trafilatura as a measured check."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crawler.extract import extract

PAGES = Path(__file__).parent / "pages"
BODIES = json.loads((PAGES / "bodies.json").read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("name", sorted(BODIES))
def test_body_page(name: str) -> None:
    exp = BODIES[name]
    got = extract((PAGES / name).read_bytes(), exp["url"])
    paragraphs = [_norm(p) for p in got.text.split("\n\n")]
    assert got.title == exp["title"]
    assert got.is_article
    assert got.published is not None and got.published.isoformat() == exp["published"]
    assert got.lead == exp["lead"]
    assert paragraphs[0] == _norm(exp["first"])
    assert paragraphs[-1] == _norm(exp["last"])
    for snippet in exp["with"]:
        assert snippet in got.text, snippet
    for snippet in exp["without"]:
        assert snippet not in got.text, snippet
