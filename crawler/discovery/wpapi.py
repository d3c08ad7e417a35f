"""WordPress REST API (``/wp-json/wp/v2/posts``): article links, page by page."""

from __future__ import annotations

import json

# Ask only for what discovery needs: a page of 100 posts stays a few kilobytes.
WP_POSTS_PATH = "wp-json/wp/v2/posts?per_page=100&page={page}&_fields=link,date_gmt,modified_gmt"


def parse_wp_posts(body: bytes) -> list[tuple[str, str | None]] | None:
    """Links and GMT dates of one REST page; None when the answer is not a list of posts."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, list):
        return None
    posts: list[tuple[str, str | None]] = []
    for post in data:
        if isinstance(post, dict) and isinstance(post.get("link"), str):
            date = post.get("date_gmt") or post.get("date")
            posts.append((post["link"], f"{date}Z" if date and "date_gmt" in post else date))
    return posts
