"""The API's published contract: request models here, response models from `vigil.domain`
(the same types every layer reads), so the OpenAPI schema is what the code returns."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from agent.chat import MAX_QUESTION_CHARS
from vigil.adapters import VigilAlarm
from vigil.domain import (
    AlarmRecord,
    ChatAnswer,
    FrameEvidence,
    IncidentRecord,
    IncidentReport,
    MomentHit,
    SearchResult,
    TrackRecord,
    TurnRecord,
)

TIME_HELP = (
    "ISO-8601 date or date-time; without a zone it is read in the site time zone, as the CLI "
    "reads it"
)
# query parameters every listing shares
CamerasParam = Annotated[list[str] | None, Query(description="Only these cameras")]
FromParam = Annotated[str | None, Query(alias="from", description=TIME_HELP, max_length=64)]
ToParam = Annotated[
    str | None, Query(alias="to", description=f"{TIME_HELP}; a date means its end", max_length=64)
]


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


AlarmIn = VigilAlarm  # an alarm as a source sends it: the one shape of vigil.adapters


class AlarmAccepted(BaseModel):
    id: str
    status: str
    duplicate: bool = Field(description="the source event was taken in before: same alarm")


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["confirm", "escalate", "overrule"]
    verdict: Literal["confirmed", "false_alarm", "needs_review"] | None = Field(
        None, description="the verdict that stands when overruling (default: the opposite)"
    )
    reason: str = Field(min_length=1, max_length=2000)


class ErrorOut(BaseModel):
    """Every error the API returns: a message for people and the request's id for the log."""

    detail: str | list[dict]
    request_id: str


class TrackOut(TrackRecord):
    """A track with its first and last moment in the site time zone."""

    start: datetime = Field(description="first seen, in the site time zone")
    end: datetime = Field(description="last seen, in the site time zone")

    @classmethod
    def of(cls, track: TrackRecord, tz) -> "TrackOut":
        """The track with its times in the zone ``tz``."""
        return cls(
            **track.model_dump(),
            start=track.first_utc.astimezone(tz),
            end=track.last_utc.astimezone(tz),
        )


class ConversationOut(BaseModel):
    """A conversation's turns, oldest first, each with the frame ids its answer cites."""

    id: str
    turns: list[TurnRecord]


__all__ = [
    "AlarmAccepted",
    "AlarmIn",
    "AlarmRecord",
    "ReviewIn",
    "CamerasParam",
    "FromParam",
    "ToParam",
    "TrackOut",
    "ChatAnswer",
    "ChatRequest",
    "ConversationOut",
    "ErrorOut",
    "FrameEvidence",
    "MomentHit",
    "SearchResult",
    "TurnRecord",
    "IncidentRecord",
    "IncidentReport",
]


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class SessionOut(BaseModel):
    token: str = Field(description="send as 'Authorization: Bearer <token>' (or the cookie)")
    name: str
    role: str
    expires: datetime = Field(description="in the site time zone")


class IncidentIn(BaseModel):
    """Where an incident starts: exactly one of an alarm, a chat answer or frames."""

    model_config = ConfigDict(extra="forbid")

    alarm_id: str | None = Field(None, max_length=64)
    conversation_id: str | None = Field(None, max_length=64)
    turn: int = Field(1, ge=1, le=10_000, description="the answer's turn, from 1")
    frame_ids: list[str] | None = Field(None, max_length=50)
    title: str = Field("Incident", max_length=200)


class ReportEditIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    report: IncidentReport
    version: int = Field(description="the version edited: refused if another came since")
    note: str = Field("", max_length=2000)


class ReportStepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field("", max_length=2000)


class AuditEntryOut(BaseModel):
    seq: int
    at: datetime = Field(description="in the site time zone")
    actor: str
    action: str
    subject: str
    detail: dict
    hash: str


class AuditCheckOut(BaseModel):
    intact: bool
    checked: int
    first_seq: int
    last_seq: int
    problems: list[str]
    checkpoints: int = Field(description="signed checkpoints the chain was held against")


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64)
    role: Literal["operator", "supervisor", "admin"] = "operator"
    password: str = Field(min_length=1, max_length=200)
    cameras: list[str] | None = Field(None, max_length=500, description="null: every camera")


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: int = Field(90, ge=1, le=730)


class TokenOut(BaseModel):
    token: str = Field(description="send as 'Authorization: Bearer <token>'")
    expires: datetime = Field(description="in the site time zone")
