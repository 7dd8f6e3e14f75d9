"""Conversations in SQL: each turn keeps its question, checked answer, citations and provenance."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from vigil.errors import NotFoundError
from vigil.store import Store
from vigil.store.sql import Conversation, Turn


@dataclass(frozen=True)
class TurnRecord:
    question: str
    answer: str
    citations: list[str]
    created_at: datetime
    window: dict


class Conversations:
    """Create conversations, read their turns, append checked turns."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def start(self, title: str = "") -> str:
        conversation_id = uuid.uuid4().hex
        with self.store.db.session() as s:
            s.add(Conversation(id=conversation_id, title=title[:200]))
        return conversation_id

    def turns(self, conversation_id: str, last: int | None = None) -> list[TurnRecord]:
        """The turns of a conversation, oldest first (only the ``last`` few if given)."""
        with self.store.db.session() as s:
            if s.get(Conversation, conversation_id) is None:
                raise NotFoundError(f"unknown conversation {conversation_id!r}")
            rows = s.scalars(
                select(Turn).where(Turn.conversation_id == conversation_id).order_by(Turn.id)
            ).all()
        records = [
            TurnRecord(t.question, t.answer, list(t.citations), t.created_at, dict(t.window))
            for t in rows
        ]
        return records[-last:] if last else records

    def add_turn(self, conversation_id: str, **fields) -> None:
        with self.store.db.session() as s:
            s.add(Turn(conversation_id=conversation_id, **fields))
