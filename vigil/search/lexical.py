"""Lexical matching of queries against captions and labels: an in-memory BM25 index."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

from vigil.words import STOPWORDS, TOKEN, stem


def tokenize(text: str) -> list[str]:
    """Lower-case word stems without stop words; 'people' counts as 'person'."""
    words = (stem(w) for w in TOKEN.findall(text.lower()) if w not in STOPWORDS)
    return ["person" if w in ("people", "persons") else w for w in words]


class BM25Index:
    """Okapi BM25 over documents keyed by id, with an inverted index for fast scoring."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self._postings: dict[str, dict[str, int]] = defaultdict(dict)
        self._lengths: dict[str, int] = {}
        self._texts: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._lengths)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._lengths

    def add(self, doc_id: str, text: str) -> None:
        """Index a document; an id indexed before is indexed again if its text changed."""
        if self._texts.get(doc_id) == text:
            return
        if doc_id in self._texts:
            self.remove(doc_id)
        tokens = tokenize(text)
        self._texts[doc_id] = text
        self._lengths[doc_id] = len(tokens)
        for term, count in Counter(tokens).items():
            self._postings[term][doc_id] = count

    def remove(self, doc_id: str) -> None:
        """Forget a document (an unknown id is ignored)."""
        text = self._texts.pop(doc_id, None)
        if text is None:
            return
        del self._lengths[doc_id]
        for term in set(tokenize(text)):
            postings = self._postings[term]
            postings.pop(doc_id, None)
            if not postings:
                del self._postings[term]

    def score(self, query: str, allowed: Iterable[str] | None = None) -> dict[str, float]:
        """BM25 score of every document that shares a term with the query.

        ``allowed`` restricts scoring to those ids (camera and time filters).
        """
        n = len(self._lengths)
        if n == 0:
            return {}
        allow = None if allowed is None else set(allowed)
        avg = sum(self._lengths.values()) / n
        scores: dict[str, float] = defaultdict(float)
        for term in set(tokenize(query)):
            postings = self._postings.get(term)
            if not postings:
                continue
            idf = math.log(1 + (n - len(postings) + 0.5) / (len(postings) + 0.5))
            for doc_id, tf in postings.items():
                if allow is not None and doc_id not in allow:
                    continue
                norm = tf + self.k1 * (1 - self.b + self.b * self._lengths[doc_id] / avg)
                scores[doc_id] += idf * tf * (self.k1 + 1) / norm
        return dict(scores)

    def matched_terms(self, query: str, doc_id: str) -> list[str]:
        """Query terms that occur in the document (to explain a match)."""
        return sorted(t for t in set(tokenize(query)) if doc_id in self._postings.get(t, {}))
