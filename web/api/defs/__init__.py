"""Request and response models of the API."""

from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from agent.chat import MAX_QUESTION_CHARS
from tools.search import MomentHit, SearchResult
from tools.video import FrameEvidence


class ChatRequest(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    conversation_id: str | None = Field(
        None, max_length=64, description="Continue this conversation; omit to start a new one"
    )

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the question is empty")
        return value


class ErrorOut(BaseModel):
    """Every error the API returns: a message for people and the request's id for the log."""

    detail: str | list[dict]
    request_id: str


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
    "ErrorOut",
    "FrameEvidence",
    "MomentHit",
    "SearchResult",
    "TurnOut",
]
