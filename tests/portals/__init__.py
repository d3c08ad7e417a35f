"""Held-out fixture portals used only to check that discovery and extraction are general."""
