"""The spiders' callbacks never return a value from a generator.

crawler/settings.py turns Scrapy's own check (WARN_ON_GENERATOR_RETURN_VALUE) off, because it
parses the callback's source for every request; this test makes the same check once, over every
generator method of every spider, with Scrapy's function.
"""

from __future__ import annotations

import inspect

from scrapy.spiderloader import SpiderLoader
from scrapy.utils.misc import is_generator_with_return_value

from crawler.spiders.portal import PortalSpider


def test_the_per_request_check_is_off_in_the_project_settings() -> None:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings")
    assert not settings.getbool("WARN_ON_GENERATOR_RETURN_VALUE")


def test_no_spider_callback_returns_a_value_from_a_generator() -> None:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings")
    loader = SpiderLoader.from_settings(settings)
    classes = {loader.load(name) for name in loader.list()} | {PortalSpider}
    generators = [
        member
        for cls in classes
        for _, member in inspect.getmembers(cls, inspect.isfunction)
        if inspect.isgeneratorfunction(member) and member.__module__.startswith("crawler.")
    ]
    assert any(g.__name__ == "parse_article" for g in generators)
    assert not [g.__qualname__ for g in generators if is_generator_with_return_value(g)]
