"""All of Vigil's settings in one pydantic-settings class.

Values come, highest priority first, from keyword arguments, ``VIGIL_*`` environment
variables, and a TOML file (``VIGIL_CONFIG`` or ``./vigil.toml``).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from vigil.errors import ConfigError


def local_zone_name() -> str:
    """This machine's IANA time zone: $TZ, /etc/timezone, or where /etc/localtime points."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        candidates.append(timezone_file.read_text().strip())
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        try:
            if name:
                ZoneInfo(name)
                return name
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return "UTC"


def known_zone_name(value: str) -> str:
    """An IANA time zone name, checked (ValueError otherwise): for pydantic validators."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r} (use an IANA name)") from exc
    return value


def policy_zone(policy_file: Path) -> str | None:
    """The ``timezone`` a site policy states (None where the file does not say, or does not
    read: loading the policy itself says what is wrong with it)."""
    try:
        stated = yaml.safe_load(policy_file.read_text())
    except (OSError, yaml.YAMLError):
        return None
    zone = stated.get("timezone") if isinstance(stated, dict) else None
    try:
        return known_zone_name(zone) if isinstance(zone, str) else None
    except ValueError:
        return None


def _config_file() -> Path:
    return Path(os.environ.get("VIGIL_CONFIG", "vigil.toml"))


class Settings(BaseSettings):
    """Vigil settings; every field can be set as ``VIGIL_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="VIGIL_", extra="forbid")

    data_dir: Path = Field(Path("var/vigil"), description="Thumbnails, SQLite file, Chroma files")
    data_dir_min_free_mb: int = Field(
        500, ge=0, description="/health reports not ok below this much free space"
    )
    database_url: str | None = Field(None, description="SQLAlchemy URL; default SQLite in data_dir")
    chroma_url: str | None = Field(None, description="http://host:port of a `chroma run` server")
    timezone: str = Field(
        default_factory=lambda: local_zone_name(),
        description="Site time zone (IANA name) for times shown to people, times given "
        "without a zone and time words; default: the site policy's `timezone` where a "
        "policy is configured (one source of truth), else this machine's zone",
    )
    language: Literal["en", "nl", "fr", "es"] = Field(
        "en", description="The language Vigil drafts the site's incident reports in"
    )

    # keyframe sampling
    min_keyframe_interval_s: float = Field(1.5, gt=0)
    max_keyframe_interval_s: float = Field(10.0, gt=0)
    scene_change_threshold: float = Field(0.06, gt=0, lt=1)
    analysis_fps: float = Field(5.0, gt=0, description="frames/s looked at for motion/keyframes")
    batch_size: int = Field(8, ge=1, le=256)
    thumbnail_width: int = Field(384, ge=64, le=1920)

    # search
    search_fusion: str = Field("rrf", pattern="^(rrf|zscore)$", description="rrf or zscore")
    search_min_similarity: float = Field(
        0.80, ge=0, le=1, description="caption similarity below which nothing matches"
    )
    moment_gap_s: float = Field(4.0, gt=0, description="hits closer than this form one moment")
    search_track_weight: float = Field(
        0.25, ge=0, le=2, description="weight of the track index in fusion (0: not used)"
    )

    # models: a configured local path switches a role from the packaged default
    clip_model_path: Path | None = Field(None, description="open_clip checkpoint (.bin/.pt)")
    clip_arch: str = Field("ViT-B-32", description="open_clip architecture of clip_model_path")
    vlm_model_path: Path | None = Field(None, description="transformers image-to-text model dir")
    text_model_path: Path | None = Field(None, description="sentence-transformers model dir")
    reranker_model_path: Path | None = Field(None, description="cross-encoder ONNX dir")
    llm_model_path: Path | None = Field(None, description="GGUF file for llama-cpp-python")
    models_dir: Path = Field(
        Path("var/models"),
        description="the packaged models' files, loaded where they are (make install): "
        "NanoDet, MoveNet and BlazeFace ONNX with their SHA256SUMS, and the LLM's GGUF "
        "joined once from its packages",
    )
    model_threads: int = Field(2, ge=1, le=256)
    agent_max_tool_steps: int = Field(
        2, ge=0, le=8, description="tool calls the chat model may ask for after the first search"
    )
    agent_search_k: int = Field(
        5,
        ge=1,
        le=10,
        description="moments the assistant's search returns (of which "
        "agent_frames_shown reach the model)",
    )
    agent_answer_tokens: int = Field(
        220, ge=32, le=2048, description="longest answer (or tool call) the chat model writes"
    )
    agent_question_reader: Literal["words", "model"] = Field(
        "words",
        description="who reads what a question asks: the vocabulary of the four site "
        "languages (words), or the local LLM filling a typed query under a JSON schema "
        "(model; README: measured slower and no more often right)",
    )
    agent_history_turns: int = Field(
        3, ge=0, le=20, description="earlier turns of a conversation a follow-up is read with"
    )
    agent_frames_shown: int = Field(
        2,
        ge=1,
        le=10,
        description="evidence frames the chat model reads per tool result; each costs ~25 "
        "prompt tokens, ~0.8 s before the first answer token on 2 cores",
    )

    # web API
    chat_wait_s: float = Field(
        20.0, gt=0, le=600, description="longest a question waits for the busy model (then 503)"
    )
    max_body_bytes: int = Field(
        1_000_000, ge=1024, description="request bodies larger than this get 413 unread"
    )
    trusted_proxies: list[str] = Field(
        [],
        description="addresses of reverse proxies whose X-Forwarded-For is believed (for "
        "the sign-in limits and the audit log); from anyone else it is ignored",
    )

    # alarms
    policy_file: Path | None = Field(
        None, description="the site policy (YAML, policies/); alarms need one"
    )
    alarm_sources: dict[str, str] = Field(
        {},
        description="alarm source name -> shared secret for HMAC-SHA256 request signatures "
        '(VIGIL_ALARM_SOURCES=\'{"frigate": "..."}\')',
    )
    alarm_max_skew_s: float = Field(
        300.0, gt=0, description="signed requests older or newer than this are refused (replay)"
    )
    alarm_queue_max: int = Field(10_000, ge=1, description="unverified alarms before 429")
    alarm_claim_lease_s: float = Field(
        300.0,
        gt=0,
        description="on a database several workers share: an alarm verifying this long is "
        "taken back from a worker that died",
    )
    alarm_window_s: float = Field(
        30.0, gt=0, le=600, description="seconds of video before and after an alarm weighed"
    )
    alarm_callbacks: dict[str, str] = Field(
        {},
        description="alarm source -> URL that gets each verdict as a POST signed with that "
        'source\'s secret (VIGIL_ALARM_CALLBACKS=\'{"nvr": "https://nvr.local/vigil"}\')',
    )
    axis_notification_fields: dict[Literal["event_id", "time", "type", "zone"], str] = Field(
        {"event_id": "event", "time": "time", "type": "type", "zone": "zone"},
        description="Axis HTTP notifications: which query parameter (as templated in the "
        "camera's action rule) carries the event id, time, alarm type and zone",
    )
    mqtt_url: str | None = Field(
        None,
        description="MQTT broker for alarms in and verdicts out: "
        "mqtt://[user:password@]host[:port]",
    )
    mqtt_alarm_topics: dict[str, Literal["vigil", "frigate", "axis", "onvif"]] = Field(
        {"frigate/events": "frigate", "frigate/reviews": "frigate"},
        description="topic filter -> payload format (vigil.adapters.FORMATS); for axis and "
        "onvif the camera is the topic level the first '+' matches (e.g. axis/+/event/#)",
    )
    mqtt_verdict_topic: str = Field(
        "vigil/verdicts", description="each verdict is published to <topic>/<camera>"
    )

    # reports, audit, users
    report_templates_dir: Path | None = Field(
        None,
        description="a folder of the site's own report.html.j2 / report.md.j2, used before "
        "the packaged ones (prompts/)",
    )
    audit_keep_days: int = Field(
        183,
        ge=183,
        description="days the audit log keeps its entries (at least six months: EU AI Act)",
    )
    audit_checkpoint_file: Path | None = Field(
        None,
        description="where signed checkpoints of the audit chain go (default: "
        "<data dir>/audit/checkpoints.jsonl); best on storage a database writer cannot "
        "reach, e.g. another machine's mount",
    )
    audit_checkpoint_minutes: float = Field(
        10.0, gt=0, description="how often the server signs the audit chain's head"
    )
    session_hours: float = Field(
        12.0, gt=0, le=168, description="how long a web sign-in lasts before asking again"
    )

    live_segment_s: float = Field(
        20.0,
        ge=2,
        le=600,
        description="`vigil watch`: seconds per recorded segment; a segment is analysed and "
        "searchable once it closes",
    )
    live_keep_hours: float = Field(
        24.0, gt=0, description="`vigil watch`: hours of recorded segments kept for evidence"
    )
    live_views_max: int = Field(
        32,
        ge=1,
        le=256,
        description="live views the server streams at once (each opens the camera's stream)",
    )
    live_views_per_user: int = Field(
        16, ge=1, le=256, description="live views one user may have open at once"
    )
    ray_address: str | None = Field(
        None,
        description="`vigil watch` and `vigil ingest` on this Ray cluster ('auto': the one "
        "this machine belongs to); needs PostgreSQL, a Chroma server and a shared data dir",
    )

    _known_timezone = field_validator("timezone")(known_zone_name)

    @model_validator(mode="after")
    def _site_zone(self) -> Settings:
        """The site policy states the site's zone: it is the zone of every command and
        page, and a different zone set beside it is refused rather than half used."""
        zone = policy_zone(self.policy_file) if self.policy_file else None
        if zone is None:
            return self
        if "timezone" in self.model_fields_set and self.timezone != zone:
            raise ValueError(
                f"timezone {self.timezone!r} differs from the site policy's {zone!r} "
                f"({self.policy_file}): leave the setting out, the policy states it"
            )
        self.timezone = zone
        return self

    @field_validator("mqtt_url")
    @classmethod
    def _mqtt_url(cls, url: str | None) -> str | None:
        if url is not None and not url.startswith(("mqtt://", "mqtts://")):
            raise ValueError("must look like mqtt://[user:password@]host[:port]")
        return url

    @field_validator("alarm_callbacks")
    @classmethod
    def _callback_urls(cls, urls: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        secrets = info.data.get("alarm_sources", {})
        for source, url in urls.items():
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"the callback of {source!r} must be an http(s) URL")
            if source not in secrets:
                raise ValueError(f"the callback of {source!r} needs its secret in alarm_sources")
        return urls

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_config_file())
        return init_settings, env_settings, toml

    @property
    def sql_url(self) -> str:
        """The SQLAlchemy URL in force (SQLite under data_dir unless configured)."""
        return self.database_url or f"sqlite:///{self.data_dir / 'vigil.db'}"

    def apart(self, data_dir: Path, timezone: str) -> Settings:
        """These settings for a store of its own in ``data_dir`` (embedded SQL and Chroma):
        recordings analysed apart from the site's store, in the given zone."""
        return self.model_copy(
            update={
                "data_dir": data_dir,
                "database_url": None,
                "chroma_url": None,
                "timezone": timezone,
            }
        )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def thumbnails_dir(self) -> Path:
        return self.data_dir / "thumbnails"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def live_dir(self) -> Path:
        """Segments recorded from live streams, one folder per camera."""
        return self.data_dir / "live"

    @property
    def keys_dir(self) -> Path:
        """The site's signing key pair (`vigil keys init`)."""
        return self.data_dir / "keys"

    @property
    def audit_checkpoint_path(self) -> Path:
        return self.audit_checkpoint_file or self.data_dir / "audit" / "checkpoints.jsonl"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own ``Settings`` instead).

    A key the settings do not know (a typo in vigil.toml) or a bad value is a `ConfigError`
    naming the key and where it came from.
    """
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigError(describe_config_errors(exc)) from exc


def describe_config_errors(exc: ValidationError) -> str:
    """One line per bad setting: its key (as written in vigil.toml or VIGIL_<KEY>), why."""
    source = _config_file()
    lines = []
    for error in exc.errors():
        key = ".".join(str(part) for part in error.get("loc", ()))
        if not key:  # a rule over several settings
            lines.append(f"settings: {error['msg'].removeprefix('Value error, ')}")
        elif error.get("type") == "extra_forbidden":
            known = ", ".join(sorted(Settings.model_fields))
            lines.append(f"{source}: unknown setting {key!r} (known settings: {known})")
        else:
            lines.append(f"setting {key!r} (VIGIL_{key.upper()} or {source}): {error['msg']}")
    return "; ".join(lines)
