"""Extraction quality, jajak against trafilatura, on every fixture page with expected values.

Pages: the real-software fixtures (tests/fixtures/realsoft: stock WordPress themes, Pelican),
the golden pages of tests/pages (expected.json) and the body pages of tests/pages (bodies.json:
teaser lists, section labels, outlet datelines, parts on one page, CSS/JS, widgets, embeds).
A split post counts once: jajak joins its pages with merge_pages, trafilatura's texts of the
pages are concatenated.

Figures per extractor: title exactly right; published date right to the minute (trafilatura
gives a day only, so it has no minute figure) and to the day (in the source's time zone);
first and last sentence of the article in the body; bodies with clutter (a paragraph that is
not article text: for realsoft pages, any paragraph not found in the article's own text; for
tests/pages, any of its `without` strings); mean body token F1 (realsoft pages). For jajak,
how each body was read: the fast path alone, checked against trafilatura, or trafilatura's
text taken (a fallback).

    python bench/extract.py [--record] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402
from lxml import etree  # noqa: E402

from crawler.extract import extract, merge_pages  # noqa: E402
from crawler.extract.blocks import choose_blocks  # noqa: E402
from crawler.extract.body import choose_text, content_scope, trafilatura_lines  # noqa: E402
from crawler.extract.clean import clean_lines  # noqa: E402
from crawler.extract.core import parse_html  # noqa: E402
from crawler.extract.fields import find_title  # noqa: E402
from crawler.extract.meta import read_meta  # noqa: E402
from crawler.extract.paragraphs import NOT_TEXT, block_lines  # noqa: E402
from tests.portals.realsoft import SITES, expected, manifest, page  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## Extraction"
ORIGIN = "http://fixture.test"


@dataclass
class Case:
    name: str
    urls: list[str]
    htmls: list[str]
    title: str
    published: datetime | None
    timezone: str
    first: str
    last: str
    text: str | None  # the whole article text, when known
    without: list[str]


@dataclass
class Result:
    title: str
    published: datetime | None
    day: str | None  # trafilatura: YYYY-MM-DD only
    text: str


def realsoft_cases() -> list[Case]:
    cases = []
    for site in SITES:
        exp = expected(site)
        resources = manifest(site)["resources"]
        for art in exp["articles"]:
            path = art["url"]
            paths = [path] + _continuations(site, path, art["pages"], resources)
            cases.append(Case(
                f"{site}{path}", [ORIGIN + p for p in paths], [page(site, p, ORIGIN) for p in paths],
                art["title"], datetime.fromisoformat(art["published"]), exp["timezone"],
                art["first_sentence"], art["last_sentence"], art["text"], [],
            ))
    return cases


def _continuations(site: str, path: str, pages: int, resources: dict[str, object]) -> list[str]:
    out = []
    for n in range(2, pages + 1):
        for cand in (f"{path}{n}/", f"{path}&page={n}"):
            if cand in resources:
                out.append(cand)
                break
    return out


def golden_cases() -> list[Case]:
    folder = ROOT / "tests" / "pages"
    cases = []
    for name, exp in json.loads((folder / "expected.json").read_text(encoding="utf-8")).items():
        if not exp.get("is_article") or not exp.get("with"):
            continue
        html = (folder / name).read_text(encoding="utf-8")
        published = datetime.fromisoformat(exp["published"]) if exp.get("published") else None
        cases.append(Case(f"tests/pages/{name}", [exp["url"]], [html], exp["title"], published,
                          exp.get("timezone", "Asia/Jakarta"), exp["with"][0], exp["with"][-1], None,
                          list(exp.get("without", []))))
    return cases


def body_cases() -> list[Case]:
    folder = ROOT / "tests" / "pages"
    cases = []
    for name, exp in json.loads((folder / "bodies.json").read_text(encoding="utf-8")).items():
        html = (folder / name).read_text(encoding="utf-8")
        cases.append(Case(f"tests/pages/{name}", [exp["url"]], [html], exp["title"],
                          datetime.fromisoformat(exp["published"]), "Asia/Jakarta", exp["first"],
                          exp["last"], None, list(exp["without"])))
    return cases


SOURCES: Counter[str] = Counter()  # how jajak read each page's body


def run_jajak(case: Case) -> Result:
    parts = [extract(html, url, timezone=case.timezone) for html, url in zip(case.htmls, case.urls, strict=True)]
    SOURCES.update(p.body_source.partition("/")[0] for p in parts)
    art = merge_pages(parts) if len(parts) > 1 else parts[0]
    return Result(art.title, art.published, None, art.text)


def run_trafilatura(case: Case) -> Result:
    title, day, texts = "", None, []
    for i, (html, url) in enumerate(zip(case.htmls, case.urls, strict=True)):
        doc: Any = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        if doc is None:
            continue
        if i == 0:
            title, day = getattr(doc, "title", None) or "", getattr(doc, "date", None)
        texts.append(getattr(doc, "text", None) or "")
    return Result(title, None, day, "\n".join(texts))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")).strip()


def _tokens(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def f1(got: str, want: str) -> float:
    g, w = _tokens(got), _tokens(want)
    common = sum((g & w).values())
    if not common:
        return 0.0
    p, r = common / sum(g.values()), common / sum(w.values())
    return 2 * p * r / (p + r)


def score(case: Case, res: Result) -> dict[str, float | None]:
    body = _norm(res.text)
    tz = ZoneInfo(case.timezone)
    if case.published is None:
        minute = day = None
    else:
        want_day = case.published.astimezone(tz).date().isoformat()
        if res.published is not None:
            minute = float(res.published.replace(second=0) == case.published.replace(second=0))
            day = float(res.published.astimezone(tz).date().isoformat() == want_day)
        else:
            minute = None if res.day else 0.0
            day = float(res.day == want_day)
    if case.text is not None:
        want = _norm(case.text)
        paras = [p for p in re.split(r"\n+", res.text) if p.strip()]
        clutter = any(_norm(p) not in want for p in paras)
    else:
        clutter = any(w in res.text for w in case.without)
    return {
        "title": float(_norm(res.title) == _norm(case.title)),
        "minute": minute,
        "day": day,
        "first": float(_norm(case.first) in body),
        "last": float(_norm(case.last) in body),
        "clutter": float(clutter),
        "f1": f1(res.text, case.text) if case.text is not None else None,
    }


def _both(html: str, url: str) -> tuple[list[str], list[str], tuple[str, ...]]:
    """The fast path's and trafilatura's cleaned lines of one page, read as body_text reads them."""
    tree = parse_html(html)
    title, title_el = find_title(tree, read_meta(tree), url)
    scope = content_scope(title_el)
    root = scope if scope is not None else tree.find("body")
    etree.strip_elements(root, *NOT_TEXT, with_tail=False)
    choice = choose_blocks(root, title_el)
    fast = clean_lines(block_lines(choice.blocks), title) if choice else []
    return fast, clean_lines(trafilatura_lines(tree, scope, url), title), choice.left_out if choice else ()


def rule_check(cases: list[Case]) -> dict[str, int]:
    """The fast path/trafilatura rule forced on every single-page case: how often it takes
    trafilatura's text, and how often the text it takes is worse than the other one (quality:
    first sentence + last sentence - clutter)."""
    out = Counter()
    for case in cases:
        if len(case.htmls) != 1:
            continue
        fast, other, before = _both(case.htmls[0], case.urls[0])
        chosen, reason = choose_text(fast, other, before)

        def quality(lines: list[str], case: Case = case) -> float:
            got = score(case, Result("", None, None, "\n\n".join(lines)))
            return got["first"] + got["last"] - got["clutter"]  # type: ignore[operator]

        q_fast, q_other, q_chosen = quality(fast), quality(other), quality(chosen)
        out["pages"] += 1
        out["taken"] += reason is not None
        out["worse"] += q_chosen < max(q_fast, q_other)
        out["fast_better"] += q_fast > q_other
        out["other_better"] += q_other > q_fast
    return out


def table(rows: dict[str, dict[str, list[float]]], counts: dict[str, int]) -> str:
    head = ("| pages | extractor | title | date (minute) | date (day) | first sentence | last sentence "
            "| bodies with clutter | body token F1 |\n|---|---|---|---|---|---|---|---|---|\n")
    lines = []
    for key, metrics in rows.items():
        group, tool = key.split("|")
        n = counts[group]

        def frac(name: str, metrics: dict[str, list[float]] = metrics, n: int = n) -> str:
            vals = metrics[name]
            if not vals:
                return "-"
            return f"{int(sum(vals))}/{len(vals)}"

        clutter = metrics["clutter"]
        f1s = metrics["f1"]
        lines.append(
            f"| {group} ({n}) | {tool} | {frac('title')} | {frac('minute')} | {frac('day')} | {frac('first')} "
            f"| {frac('last')} | {100 * sum(clutter) / len(clutter):.0f}% "
            f"| {sum(f1s) / len(f1s):.3f} |" if f1s else
            f"| {group} ({n}) | {tool} | {frac('title')} | {frac('minute')} | {frac('day')} | {frac('first')} "
            f"| {frac('last')} | {100 * sum(clutter) / len(clutter):.0f}% | - |"
        )
    return head + "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description="extraction quality: jajak vs trafilatura")
    parser.add_argument("--record", action="store_true", help="write the table into bench/RESULTS.md")
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    args = parser.parse_args()
    groups = {"real software": realsoft_cases(), "tests/pages": golden_cases(), "body pages": body_cases()}
    rows: dict[str, dict[str, list[float]]] = {}
    counts = {g: len(c) for g, c in groups.items()}
    seconds: dict[str, float] = {}
    for group, cases in groups.items():
        for tool, run in (("jajak", run_jajak), ("trafilatura", run_trafilatura)):
            names = ("title", "minute", "day", "first", "last", "clutter", "f1")
            metrics: dict[str, list[float]] = {k: [] for k in names}
            for case in cases:
                start = time.perf_counter()
                res = run(case)
                seconds[tool] = seconds.get(tool, 0.0) + time.perf_counter() - start
                for name, value in score(case, res).items():
                    if value is not None:
                        metrics[name].append(value)
                if args.verbose:
                    s = score(case, res)
                    bad = [k for k, v in s.items() if v == 0.0 and k not in ("clutter", "f1")]
                    if s["clutter"]:
                        bad.append("clutter")
                    if bad:
                        print(f"{tool:12} {case.name}: {', '.join(bad)} | title={res.title!r} "
                              f"published={res.published or res.day}", file=sys.stderr)
            rows[f"{group}|{tool}"] = metrics
    out = table(rows, counts)
    stamp = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    timing = ", ".join(f"{tool} {sec:.1f} s" for tool, sec in seconds.items())
    read = ", ".join(f"{how} {SOURCES[how]}" for how in ("fast", "checked", "fallback"))
    rule = rule_check([case for cases in groups.values() for case in cases])
    rule_line = (f"the fast path/trafilatura rule forced on all {rule['pages']} single-page cases: fast path "
                 f"better {rule['fast_better']}, trafilatura better {rule['other_better']}, trafilatura's text "
                 f"taken {rule['taken']}, the worse text taken {rule['worse']}")
    print(out)
    print(f"time: {timing}")
    print(f"jajak bodies read: {read}")
    print(rule_line)
    if args.record:
        section = (
            f"{SECTION}\n\n`python bench/extract.py --record`: jajak's extract() against trafilatura "
            f"{trafilatura.__version__} (bare_extraction with metadata) on every fixture page with expected "
            "values: real-software pages (tests/fixtures/realsoft: stock WordPress 6.1 with twentytwentyone, "
            "twentytwentytwo and twentytwentythree, Pelican 4.8, Jekyll 4.3 with minima; split posts count "
            "once), the golden pages of tests/pages and its body pages (bodies.json). trafilatura gives a "
            "day, not a time, so it has no minute figure.\n\n"
            f"{stamp}; total time {timing}. jajak's bodies (pages): {read}; {rule_line}.\n\n{out}"
        )
        text = RESULTS.read_text(encoding="utf-8")
        if SECTION in text:
            before, _, rest = text.partition(SECTION)
            after = rest[rest.find("\n## "):] if "\n## " in rest else ""
            text = before + section + after
        else:
            text = text.rstrip("\n") + "\n\n" + section
        RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
