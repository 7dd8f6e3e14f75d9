"""Request and response models of the API."""

from tools.search import MomentHit, SearchResult

__all__ = ["MomentHit", "SearchResult"]
