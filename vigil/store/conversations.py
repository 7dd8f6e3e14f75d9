"""Conversations: each turn keeps its question, checked answer, citations and provenance."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from vigil.domain import TurnRecord
from vigil.errors import NotFoundError
from vigil.store.sql import Conversation, Database, Turn


class ConversationRepository:
    """Create conversations, read their turns, append checked turns."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def start(self, title: str = "", owner: str | None = None) -> str:
        """A new conversation of ``owner`` (who asked; None: the server's own shell)."""
        conversation_id = uuid.uuid4().hex
        with self.db.session() as s:
            s.add(Conversation(id=conversation_id, title=title[:200], owner=owner))
        return conversation_id

    def owner(self, conversation_id: str) -> str | None:
        """Who a conversation belongs to (None: asked at the server's shell, or before
        conversations had owners); NotFoundError for an unknown one."""
        with self.db.session() as s:
            row = s.get(Conversation, conversation_id[:64])
            if row is None:
                raise NotFoundError(f"unknown conversation {conversation_id[:64]!r}")
            return row.owner

    def turns(self, conversation_id: str, last: int | None = None) -> list[TurnRecord]:
        """The turns of a conversation, oldest first (only the ``last`` few if given)."""
        with self.db.session() as s:
            if s.get(Conversation, conversation_id) is None:
                raise NotFoundError(f"unknown conversation {conversation_id[:64]!r}")
            rows = s.scalars(
                select(Turn).where(Turn.conversation_id == conversation_id).order_by(Turn.id)
            ).all()
            records = [
                TurnRecord(
                    question=t.question,
                    answer=t.answer,
                    citations=list(t.citations),
                    created_at=t.created_utc,
                    window=dict(t.window),
                )
                for t in rows
            ]
        return records[-last:] if last else records

    def add_turn(
        self,
        conversation_id: str,
        *,
        question: str,
        answer: str,
        citations: list[str],
        tool_calls: list[dict],
        window: dict,
        model: str,
        prompt_versions: dict,
    ) -> None:
        with self.db.session() as s:
            s.add(
                Turn(
                    conversation_id=conversation_id,
                    question=question,
                    answer=answer,
                    citations=citations,
                    tool_calls=tool_calls,
                    window=window,
                    model=model,
                    prompt_versions=prompt_versions,
                )
            )
