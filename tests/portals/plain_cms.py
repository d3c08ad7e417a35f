"""Held-out markup #2: a hand-rolled PHP-style CMS that follows none of the usual conventions.

Articles at ``/berita/detail.php?id=N`` (no slug, a query id), listing ``/berita/index.php``
with ``&hal=N`` pagination and "Berikutnya »" links, no feed, no sitemap, no JSON-LD, og:type
"website" everywhere, the date as plain text ("12 Maret 2025 | 10.15 WIB") in a table cell and a
"today" date in the header. Used only to check that discovery and extraction are general.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from crawler.demo.site import Resource, Site

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]
PER_PAGE = 7


def _page(title: str, body: str) -> Resource:
    html = f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>{escape(title)} :: Warta Daerah</title>
<meta property="og:type" content="website"><meta property="og:title" content="{escape(title)}">
</head><body><table width="100%"><tr><td class="top">Warta Daerah Online &nbsp; Senin, 22 November 2026</td></tr>
<tr><td class="menu"><a href="/index.php">Beranda</a> | <a href="/berita/index.php">Berita</a> |
<a href="/profil.php">Profil</a></td></tr><tr><td class="isi">{body}</td></tr>
<tr><td class="kaki">Hak cipta Warta Daerah. Dilarang mengutip tanpa izin.</td></tr></table></body></html>"""
    return Resource(html.encode("utf-8"), "text/html; charset=utf-8")


def _date_text(value: str) -> str:
    when = datetime.fromisoformat(value)
    return f"{when.day} {MONTHS[when.month - 1]} {when.year} | {when:%H.%M} WIB"


def build_site(articles: list[dict[str, Any]], base_url: str, now: datetime | None = None) -> Site:
    site = Site()
    ordered = sorted(articles, key=lambda a: a["published"], reverse=True)
    for article in ordered:
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in article["paragraphs"])
        body = (f"<div class='judul'><b>{escape(article['title'])}</b></div>"
                f"<div class='tgl'>{_date_text(article['published'])} &middot; "
        f"Penulis: {escape(article['author'])}</div>"
                f"<div class='naskah'>{paragraphs}</div>"
                f"<div class='lain'>Berita lainnya: <a href='/berita/index.php'>indeks berita</a></div>")
        site[f"/berita/detail.php?id={article['id']}"] = _page(article["title"], body)
    pages = [ordered[i:i + PER_PAGE] for i in range(0, len(ordered), PER_PAGE)]
    for number, chunk in enumerate(pages, start=1):
        items = "".join(
            f"<div class='item'><a href='/berita/detail.php?id={a['id']}'>{escape(a['title'])}</a>"
            f"<br><small>{_date_text(a['published'])}</small></div>" for a in chunk
        )
        if number < len(pages):
            items += f"<div class='nav'><a href='/berita/index.php?hal={number + 1}'>Berikutnya &raquo;</a></div>"
        key = "/berita/index.php" if number == 1 else f"/berita/index.php?hal={number}"
        site[key] = _page("Indeks Berita", items)
    latest = "".join(f"<li><a href='/berita/detail.php?id={a['id']}'>{escape(a['title'])}</a></li>"
                     for a in ordered[:5])
    site["/"] = _page("Beranda", f"<h3>Terbaru</h3><ul>{latest}</ul>")
    site["/index.php"] = site["/"]
    site["/profil.php"] = _page("Profil", "<p>Warta Daerah adalah media daring lokal.</p>")
    return site
