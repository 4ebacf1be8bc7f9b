"""Offline workstation for annotating news articles and briefing managers."""

__version__ = "0.1.0"
