"""Synthetic article generator for the 5,000-article benchmark portal (crawler/demo/themes).

Articles are assembled from sentence templates and name lists; about 10% are partnership news.
The output has the same fields as crawler/demo/articles.json and is deterministic for a seed.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from crawler.demo.synthetic_text import COMMON, KINDS, PLACES, VALUES

WIB = timezone(timedelta(hours=7))
ANCHOR = datetime(2025, 12, 20, 21, 0, tzinfo=WIB)  # newest synthetic article
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
AUTHORS = ["Asep Hidayat", "Dewi Lestari", "Fajar Nugraha", "Sri Wahyuni", "Bagus Pratama",
           "Nurul Aini", "Rendi Saputra", "Yulia Marlina"]
PARTNERSHIP_SHARE = 0.1


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:90].strip("-")


def _fill(template: str, values: dict[str, str]) -> str:
    return template.format(**values)


def _values(rng: random.Random, published: datetime) -> dict[str, str]:
    place = rng.choice(PLACES)
    event = published - timedelta(days=rng.choice([0, 0, 1, 1, 2]))
    values = {name: rng.choice(options) for name, options in VALUES.items()}
    values.update(place)
    values["day"] = DAYS[event.weekday()]
    values["date"] = f"{event.day}/{event.month}/{event.year}"
    values["num"] = str(rng.randint(3, 40))
    values["big"] = str(rng.randint(2, 9) * 50)
    values["money"] = f"{rng.randint(2, 95)},{rng.randint(1, 9)}"
    return values


def _article(rng: random.Random, ident: int, published: datetime, kind_name: str,
             stage: str | None) -> dict[str, Any]:
    kind = KINDS[kind_name]
    values = _values(rng, published)
    title_pool = kind["titles"] if stage is None else kind["titles_" + stage]
    title = _fill(rng.choice(title_pool), values)
    body_pool = list(kind["body"] if stage is None else kind["body"] + kind["body_" + stage])
    lead = _fill(rng.choice(kind["leads"] if stage is None else kind["leads_" + stage]), values)
    target = rng.randint(300, 500)
    sentences: list[str] = []
    words = len(lead.split())
    pools = [body_pool, list(COMMON)]
    for pool in pools:
        rng.shuffle(pool)
    while words < target and (pools[0] or pools[1]):
        pool = pools[0] if pools[0] and (rng.random() < 0.7 or not pools[1]) else pools[1]
        sentence = _fill(pool.pop(), values)
        sentences.append(sentence)
        words += len(sentence.split())
    paragraphs = [lead]
    while sentences:
        take = rng.randint(1, 3)
        paragraphs.append(" ".join(sentences[:take]))
        sentences = sentences[take:]
    tags = [_fill(tag, values) for tag in kind["tags"]] + [values["city"]]
    return {
        "id": ident, "slug": "", "title": title, "section": kind["section"],
        "category_slug": _slug(kind["section"]), "tags": list(dict.fromkeys(tags)),
        "author": rng.choice(AUTHORS), "dateline": values["dateline"],
        "published": published.isoformat(timespec="seconds"), "paragraphs": paragraphs,
        "image_caption": _fill(rng.choice(kind["captions"]), values),
        "partnership": stage is not None, "stage": stage,
    }


def synthetic_articles(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """`n` varied articles, newest first, ids from 100001 upwards (oldest lowest)."""
    rng = random.Random(seed)
    moments: list[datetime] = []
    moment = ANCHOR
    for _ in range(n):
        moments.append(moment)
        moment -= timedelta(minutes=rng.randint(25, 190))
    negatives = [name for name in KINDS if name != "partnership"]
    articles = []
    seen: set[str] = set()
    for i, published in enumerate(moments):
        ident = 100000 + n - i
        if rng.random() < PARTNERSHIP_SHARE:
            stage = rng.choice(["exploring", "exploring", "negotiating", "signed", "renewed"])
            art = _article(rng, ident, published, "partnership", stage)
        else:
            art = _article(rng, ident, published, rng.choice(negatives), None)
        slug = _slug(art["title"])
        art["slug"] = slug if slug not in seen else f"{slug}-{ident}"
        seen.add(art["slug"])
        articles.append(art)
    return articles
