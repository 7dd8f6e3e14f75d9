"""Request and response models of the API."""

from datetime import datetime

from pydantic import BaseModel, Field

from agent.chat import MAX_QUESTION_CHARS
from tools.search import MomentHit, SearchResult
from tools.video import FrameEvidence


class ChatRequest(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    conversation_id: str | None = Field(
        None, description="Continue this conversation; omit to start a new one"
    )


class TurnOut(BaseModel):
    question: str
    answer: str
    citations: list[str]
    created_at: datetime
    window: dict


class ConversationOut(BaseModel):
    id: str
    turns: list[TurnOut]


__all__ = [
    "ChatRequest",
    "ConversationOut",
    "FrameEvidence",
    "MomentHit",
    "SearchResult",
    "TurnOut",
]
