"""Discovery (crawl stage): which URLs of a portal are articles, found from its URL alone.

Each module reads one kind of document (feed, sitemap, WordPress REST answer, listing page) and
returns candidate article URLs; ``crawler.spiders`` decides which channel to use and fetches.
"""

from crawler.discovery.feeds import feed_links, parse_feed
from crawler.discovery.listings import listing_links, next_listing_page
from crawler.discovery.sitemaps import SitemapResult, parse_sitemap, sitemaps_from_robots
from crawler.discovery.urls import (
    continuation_base,
    in_domains,
    is_listing_url,
    looks_like_article,
    normalize_url,
)
from crawler.discovery.wpapi import parse_wp_posts

__all__ = [
    "SitemapResult",
    "continuation_base",
    "feed_links",
    "in_domains",
    "is_listing_url",
    "listing_links",
    "looks_like_article",
    "next_listing_page",
    "normalize_url",
    "parse_feed",
    "parse_sitemap",
    "parse_wp_posts",
    "sitemaps_from_robots",
]
