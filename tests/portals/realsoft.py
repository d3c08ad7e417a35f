"""Pages made by real software (stock WordPress themes, Pelican, Jekyll), saved under
tests/fixtures/realsoft/ by its generate.py, served again on 127.0.0.1.

The pages were made on another origin (``manifest.json``); that origin is replaced by the
server's, so every absolute link, feed entry and REST answer points at the test server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crawler.demo.site import Resource, Site

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "realsoft"
SITES = sorted(p.name for p in FIXTURES.iterdir() if (p / "manifest.json").is_file())
TYPES = {"application/xml": "application/xml; charset=UTF-8", "text/html": "text/html; charset=UTF-8"}


def manifest(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name / "manifest.json").read_text(encoding="utf-8"))


def expected(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name / "expected.json").read_text(encoding="utf-8"))


def page(name: str, path: str, origin: str | None = None) -> str:
    """The saved body for request `path`, with its origin replaced by `origin` when given."""
    doc = manifest(name)
    body = (FIXTURES / name / doc["resources"][path]["file"]).read_text(encoding="utf-8")
    return _moved(body, doc["origin"], origin) if origin else body


def _moved(body: str, old: str, new: str) -> str:
    escaped_old, escaped_new = old.replace("/", "\\/"), new.replace("/", "\\/")
    return body.replace(old, new).replace(escaped_old, escaped_new)


def build_site(name: str, origin: str) -> Site:
    doc = manifest(name)
    site = Site()
    for path, res in doc["resources"].items():
        body = (FIXTURES / name / res["file"]).read_text(encoding="utf-8")
        ctype = res["type"]
        content_type = TYPES.get(ctype, f"{ctype}; charset=UTF-8")
        site[path] = Resource(_moved(body, doc["origin"], origin), content_type, status=res["status"])
    return site


def builder(name: str):  # noqa: ANN201 - the `portal` fixture's builder signature
    return lambda _articles, url: build_site(name, url)
