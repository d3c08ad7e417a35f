"""Sources file loading: the shipped seeds/sources.yaml, defaults, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from crawler.sources import Source, SourcesError, get_source, load_sources

SHIPPED = Path(__file__).resolve().parent.parent / "seeds" / "sources.yaml"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _load_one(tmp_path: Path, body: str) -> Source:
    (source,) = load_sources(_write(tmp_path, "sources:\n" + body))
    return source


# --- the shipped file -------------------------------------------------------------------------


def test_shipped_sources_file_loads() -> None:
    sources = load_sources(SHIPPED)
    names = [s.name for s in sources]
    assert names[:2] == ["prolite", "progres"]
    assert 8 <= len(sources) <= 10
    assert len(set(names)) == len(names)
    assert all(s.enabled for s in sources)
    prolite = get_source(sources, "prolite")
    assert prolite.url == "https://prolitenews.com/"
    assert prolite.timezone == "Asia/Jakarta"
    assert prolite.listings == ("https://prolitenews.com/news/",)
    assert get_source(sources, "progres").url == "https://progres.id/"


def test_unknown_source_name_lists_the_known_ones(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """\
sources:
  - {name: progres, url: "https://progres.id/"}
  - {name: prolite, url: "https://prolitenews.com/"}
""",
    )
    with pytest.raises(SourcesError) as err:
        get_source(load_sources(path), "prolit")
    assert str(err.value) == f"no source named 'prolit' in {path}; known: progres, prolite"


# --- defaults and normalisation ---------------------------------------------------------------


def test_name_and_url_are_enough(tmp_path: Path) -> None:
    source = _load_one(tmp_path, "  - {name: progres, url: 'https://Progres.ID'}\n")
    assert source.url == "https://progres.id/"
    assert source.host == "progres.id"
    assert (source.feeds, source.sitemaps, source.listings) == ((), (), ())
    assert (source.render, source.schedule, source.max_pages) == (False, None, None)
    assert (source.timezone, source.enabled) == ("Asia/Jakarta", True)


@pytest.mark.parametrize(
    ("url", "domains"),
    [
        ("https://prolitenews.com/", ("prolitenews.com", "www.prolitenews.com")),
        ("https://www.radarbandung.id/", ("www.radarbandung.id", "radarbandung.id")),
        (
            "https://bengkulu.antaranews.com/",
            ("bengkulu.antaranews.com", "www.bengkulu.antaranews.com"),
        ),
    ],
)
def test_allowed_domains_default_to_host_and_its_www_twin(
    tmp_path: Path, url: str, domains: tuple[str, ...]
) -> None:
    source = _load_one(tmp_path, f"  - {{name: x, url: '{url}'}}\n")
    assert source.allowed_domains == ()
    assert source.domains == domains


def test_explicit_allowed_domains_cover_subdomains(tmp_path: Path) -> None:
    source = _load_one(
        tmp_path,
        """\
  - name: antara-jabar
    url: https://jabar.antaranews.com/
    allowed_domains: [Antaranews.com]
    sitemaps: https://www.antaranews.com/sitemap.xml
""",
    )
    assert source.domains == ("antaranews.com",)
    assert source.sitemaps == ("https://www.antaranews.com/sitemap.xml",)


def test_links_accept_one_string_a_list_or_a_path(tmp_path: Path) -> None:
    source = _load_one(
        tmp_path,
        """\
  - name: prolite
    url: https://prolitenews.com/
    feeds: https://prolitenews.com/feed/
    sitemaps: [/wp-sitemap.xml, "https://www.prolitenews.com/sitemap_index.xml"]
    listings: []
    render: auto
    schedule: "*/30 * * * *"
    max_pages: 500
    enabled: false
""",
    )
    assert source.feeds == ("https://prolitenews.com/feed/",)
    assert source.sitemaps == (
        "https://prolitenews.com/wp-sitemap.xml",
        "https://www.prolitenews.com/sitemap_index.xml",
    )
    assert (source.render, source.schedule, source.max_pages, source.enabled) == (
        "auto",
        "*/30 * * * *",
        500,
        False,
    )


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("WIB", "Asia/Jakarta"),
        ("WITA", "Asia/Makassar"),
        ("WIT", "Asia/Jayapura"),
        ("wita", "Asia/Makassar"),
        ("Asia/Pontianak", "Asia/Pontianak"),
    ],
)
def test_timezone_aliases(tmp_path: Path, written: str, stored: str) -> None:
    source = _load_one(tmp_path, f"  - {{name: x, url: 'https://x.id/', timezone: {written}}}\n")
    assert source.timezone == stored


def test_source_is_frozen() -> None:
    source = Source(name="progres", url="https://progres.id/")
    with pytest.raises(ValidationError):
        source.name = "lain"  # type: ignore[misc]


# --- errors: one line naming file, source and field -------------------------------------------

ONE = "sources:\n  - name: prolite\n    url: https://prolitenews.com/\n"

ERRORS = [
    pytest.param(
        "sources:\n  - name: prolite\n    url: ftp://x\n",
        "source 'prolite' (#1): field 'url': must be an http(s) URL, got 'ftp://x'",
        id="ftp-url",
    ),
    pytest.param(
        "sources:\n  - name: prolite\n    url: prolitenews.com\n",
        "source 'prolite' (#1): field 'url': must be an http(s) URL, got 'prolitenews.com'",
        id="url-without-scheme",
    ),
    pytest.param(
        "sources:\n  - name: prolite\n",
        "source 'prolite' (#1): field 'url': is required",
        id="missing-url",
    ),
    pytest.param(
        ONE + "  - url: https://progres.id/\n",
        "source #2: field 'name': is required",
        id="missing-name",
    ),
    pytest.param(
        "sources:\n  - name: Pro Lite\n    url: https://prolitenews.com/\n",
        "source 'Pro Lite' (#1): field 'name': must be a slug of lower-case letters, digits, "
        "'-' or '_' (at most 63, starting with a letter or digit), got 'Pro Lite'",
        id="name-not-slug",
    ),
    pytest.param(
        ONE + "    feed: https://prolitenews.com/feed/\n",
        "source 'prolite' (#1): field 'feed': unknown field; known fields: name, url, "
        "allowed_domains, feeds, sitemaps, listings, render, schedule, max_pages, timezone, "
        "enabled",
        id="unknown-field",
    ),
    pytest.param(
        ONE + "    max_pages: ten\n",
        "source 'prolite' (#1): field 'max_pages': must be a valid integer, got 'ten'",
        id="max-pages-type",
    ),
    pytest.param(
        ONE + "    max_pages: 0\n",
        "source 'prolite' (#1): field 'max_pages': must be greater than 0, got 0",
        id="max-pages-zero",
    ),
    pytest.param(
        ONE + "    enabled: maybe\n",
        "source 'prolite' (#1): field 'enabled': must be a valid boolean, unable to interpret "
        "input, got 'maybe'",
        id="enabled-type",
    ),
    pytest.param(
        ONE + "    render: sometimes\n",
        "source 'prolite' (#1): field 'render': must be true, false or 'auto', got 'sometimes'",
        id="render-value",
    ),
    pytest.param(
        ONE + "    feeds: [123]\n",
        "source 'prolite' (#1): field 'feeds' item #1: must be a valid string, got 123",
        id="feed-item-type",
    ),
    pytest.param(
        ONE + "    feeds: {rss: x}\n",
        "source 'prolite' (#1): field 'feeds': must be a URL or a list of them, got {'rss': 'x'}",
        id="feeds-mapping",
    ),
    pytest.param(
        ONE + "    feeds: https://feeds.feedburner.com/prolite\n",
        "source 'prolite' (#1): field 'feeds': 'https://feeds.feedburner.com/prolite' is outside "
        "the allowed domains (prolitenews.com, www.prolitenews.com); add its host to "
        "allowed_domains",
        id="feed-off-domain",
    ),
    pytest.param(
        ONE + "    listings: [https://prolitenews.com/news/, https://progres.id/]\n",
        "source 'prolite' (#1): field 'listings': 'https://progres.id/' is outside the allowed "
        "domains (prolitenews.com, www.prolitenews.com); add its host to allowed_domains",
        id="listing-off-domain",
    ),
    pytest.param(
        ONE + "    allowed_domains: [progres.id]\n",
        "source 'prolite' (#1): field 'allowed_domains': must cover the host of url "
        "'prolitenews.com', got ['progres.id']",
        id="domains-miss-url-host",
    ),
    pytest.param(
        ONE + "    allowed_domains: https://prolitenews.com/\n",
        "source 'prolite' (#1): field 'allowed_domains': must list bare host names like "
        "'example.com', got 'https://prolitenews.com/'",
        id="domain-is-url",
    ),
    pytest.param(
        ONE + "    schedule: '*/30 * * *'\n",
        "source 'prolite' (#1): field 'schedule': must be a 5-field cron string (Wrong number "
        "of fields; got 4, expected 5), got '*/30 * * *'",
        id="cron-4-fields",
    ),
    pytest.param(
        ONE + "    timezone: Asia/Bandung\n",
        "source 'prolite' (#1): field 'timezone': must be an IANA time zone like 'Asia/Jakarta' "
        "or WIB/WITA/WIT, got 'Asia/Bandung'",
        id="timezone-unknown",
    ),
    pytest.param(
        ONE + "  - name: prolite\n    url: https://www.prolitenews.com/\n",
        "source 'prolite' (#2): field 'name': duplicate name, already used by source #1",
        id="duplicate-name",
    ),
    pytest.param(
        ONE + "  - https://progres.id/\n",
        "source #2: must be a mapping with at least 'name' and 'url', got 'https://progres.id/'",
        id="source-not-mapping",
    ),
    pytest.param(
        "- name: prolite\n  url: https://prolitenews.com/\n",
        "top level must be a mapping with a 'sources' list, got list",
        id="top-level-list",
    ),
    pytest.param(
        "", "top level must be a mapping with a 'sources' list, got an empty file", id="empty-file"
    ),
    pytest.param(
        "sources:\n  name: prolite\n",
        "top level must be a mapping with a 'sources' list, got 'sources' that is not a list",
        id="sources-not-list",
    ),
    pytest.param(
        "seeds:\n  - name: prolite\n",
        "top level must be a mapping with a 'sources' list, got no 'sources' key",
        id="no-sources-key",
    ),
    pytest.param(
        ONE + "defaults: {render: false}\n",
        "unknown top-level key 'defaults'; only 'sources' is allowed",
        id="unknown-top-level-key",
    ),
    pytest.param(
        ONE + "    url: https://www.prolitenews.com/\n",
        "line 4, column 5: invalid YAML: duplicate key 'url'",
        id="duplicate-yaml-key",
    ),
    pytest.param(
        "sources:\n  - name: prolite\n    url: https://prolitenews.com/\n   render: true\n",
        "line 4, column 4: invalid YAML: expected <block end>, but found '<block mapping start>'",
        id="yaml-bad-indent",
    ),
    pytest.param(
        ONE + "    schedule: */30 * * * *\n",
        "line 4, column 16: invalid YAML: expected alphabetic or numeric character, but found "
        '\'/\' (quote values that start with "*", e.g. schedule: "*/30 * * * *")',
        id="yaml-unquoted-cron",
    ),
]


@pytest.mark.parametrize(("text", "message"), ERRORS)
def test_invalid_file_gives_one_line_naming_file_source_and_field(
    tmp_path: Path, text: str, message: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(SourcesError) as err:
        load_sources(path)
    assert str(err.value) == f"{path}: {message}"
    assert "\n" not in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "seeds" / "sources.yaml"
    with pytest.raises(SourcesError, match=r"sources\.yaml: file not found$"):
        load_sources(path)
    with pytest.raises(SourcesError) as err:
        load_sources(str(path))
    assert str(err.value) == f"{path}: file not found"
