"""Held-out JavaScript portal for tests and the render benchmark: every listing and article body
is inserted by a script from JSON answers, so a plain fetch sees empty HTML shells.

Home ``/`` and ``/indeks?hal=N`` list the articles ("Berikutnya" pages back), articles live at
``/baca/<id>/<slug>``; the script reads ``/api/daftar?hal=N`` and ``/api/artikel/<id>``. There is
no feed, no sitemap and no REST API of a known CMS. Every page also asks for a logo image, a web
font and a tracker on another host (``localhost``), which a rendering crawl must not load.
"""

from __future__ import annotations

import json
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import urlsplit

from crawler.demo.site import HTML, JSON, TEXT, Resource, Site
from crawler.demo.themes.base import Post, chunks, long_date, prepare

PER_PAGE = 20
NAME = "Kabar Lembah"

APP_JS = r"""
(function () {
  var app = document.getElementById('app');
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }
  function daftar(hal) {
    var answer = fetch('/api/daftar?hal=' + hal).then(function (r) { return r.json(); });
    return answer.then(function (data) {
      app.textContent = '';
      var heading = hal > 1 ? 'Indeks Berita - Halaman ' + hal : 'Berita Terkini';
      app.appendChild(el('h2', {'class': 'judul-rubrik'}, heading));
      var list = el('ul', {'class': 'daftar-berita'});
      data.items.forEach(function (item) {
        var li = el('li', {'class': 'kartu'});
        li.appendChild(el('a', {'href': item.url, 'class': 'judul'}, item.title));
        li.appendChild(el('span', {'class': 'waktu'}, item.when));
        list.appendChild(li);
      });
      app.appendChild(list);
      if (data.next) {
        app.appendChild(el('a', {'href': data.next, 'class': 'halaman'}, 'Berikutnya \u00bb'));
      }
    });
  }
  function artikel(id) {
    var answer = fetch('/api/artikel/' + id).then(function (r) { return r.json(); });
    return answer.then(function (a) {
      document.title = a.title + ' - KABAR LEMBAH';
      app.textContent = '';
      var art = el('article', {'class': 'berita'});
      art.appendChild(el('span', {'class': 'rubrik'}, a.section));
      art.appendChild(el('h1', {'class': 'judul-berita'}, a.title));
      var info = el('div', {'class': 'info'}, 'Penulis: ' + a.author + ' | ');
      info.appendChild(el('time', {'datetime': a.published}, a.when));
      art.appendChild(info);
      var isi = el('div', {'class': 'isi-berita'});
      a.paragraphs.forEach(function (p, i) {
        isi.appendChild(el('p', {}, i === 0 ? a.dateline + ' - ' + p : p));
      });
      art.appendChild(isi);
      app.appendChild(art);
    });
  }
  var path = location.pathname;
  var match = path.match(/^\/baca\/(\d+)\//);
  if (match) { artikel(match[1]); }
  else if (path === '/' || path === '/indeks') {
    daftar(parseInt(new URLSearchParams(location.search).get('hal') || '1', 10));
  } else {
    app.textContent = '';
    app.appendChild(el('p', {}, 'Kabar Lembah adalah media daring warga lembah.'));
  }
})();
"""

CSS = """@font-face { font-family: 'Lembah'; src: url('/aset/huruf.woff2') format('woff2'); }
body { font-family: 'Lembah', sans-serif; margin: 0 auto; max-width: 960px; }
.kartu { list-style: none; margin: 0 0 12px; } .waktu { color: #777; margin-left: 8px; }
"""


def _shell(base: str, title: str) -> Resource:
    host = urlsplit(base)
    # "localhost" is another host than 127.0.0.1 for the crawler: a third party.
    tracker = f"http://localhost:{host.port}/pelacak.js"
    html = f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<meta property="og:site_name" content="{NAME}">
<link rel="stylesheet" href="/aset/gaya.css">
<script async src="{tracker}"></script>
</head><body>
<header><img src="/aset/logo.png" alt="{NAME}" width="180" height="40"></header>
<main id="app"><p class="memuat">Memuat&hellip;</p></main>
<noscript>Aktifkan JavaScript.</noscript>
<footer><a href="/tentang">Tentang kami</a></footer>
<script src="/aset/app.js"></script>
</body></html>
"""
    return Resource(html.encode("utf-8"), HTML)


def _when(post: Post) -> str:
    return f"{long_date(post.published)} {post.published:%H:%M} WIB"


def build_site(articles: list[dict[str, Any]], base_url: str, now: datetime | None = None) -> Site:
    base = base_url.rstrip("/")
    posts = prepare(articles)
    site = Site()
    pages = chunks(posts, PER_PAGE)

    def link(post: Post) -> str:
        return f"/baca/{post.id}/{post.slug}"

    site["/"] = _shell(base, f"{NAME} - Berita Terkini")
    for number, group in enumerate(pages, start=1):
        following = f"/indeks?hal={number + 1}" if number < len(pages) else None
        body = {"items": [{"url": link(p), "title": p.title, "when": _when(p)} for p in group],
                "next": following}
        site[f"/api/daftar?hal={number}"] = Resource(json.dumps(body).encode(), JSON)
        site[f"/indeks?hal={number}"] = _shell(base, f"Indeks Berita - {NAME}")
    site["/indeks"] = _shell(base, f"Indeks Berita - {NAME}")
    for post in posts:
        site[link(post)] = lambda: _shell(base, NAME)
        site[f"/api/artikel/{post.id}"] = (lambda post=post: Resource(json.dumps({
            "title": post.title, "section": post.section, "author": post.author,
            "dateline": post.dateline, "published": post.published.isoformat(),
            "when": _when(post), "paragraphs": post.paragraphs,
        }).encode(), JSON))
    site["/tentang"] = _shell(base, f"Tentang - {NAME}")
    site["/aset/app.js"] = Resource(APP_JS.encode(), "application/javascript; charset=UTF-8")
    site["/aset/gaya.css"] = Resource(CSS.encode(), "text/css; charset=UTF-8")
    # Never asked for by a rendering crawl (aborted); here so that a leak would show as a 200.
    site["/aset/logo.png"] = Resource(b"\x89PNG\r\n\x1a\n", "image/png")
    site["/aset/huruf.woff2"] = Resource(b"wOF2", "font/woff2")
    site["/pelacak.js"] = Resource(b"window.pelacak = 1;", "application/javascript")
    site["/robots.txt"] = Resource(b"User-agent: *\nAllow: /\n", TEXT)
    return site
