"""Spiders (crawl stage): `portal` crawls any source; `prolite` and `progres` are its named
shortcuts for the two seed portals."""
