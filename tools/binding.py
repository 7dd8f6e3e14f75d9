"""The thin LangChain binding of `tools.video.VideoTools`, and the schemas the model sees."""

from __future__ import annotations

import inspect

from langchain_core.tools import StructuredTool

from tools.video import VideoTools

AGENT_TOOLS = (
    "search_video",
    "count_objects",
    "get_tracks",
    "get_empty_spells",
    "describe_frame",
    "rerank",
    "get_timeline",
    "summarise_shift",
    "draft_summary",
)


def langchain_tools(video: VideoTools) -> list[StructuredTool]:
    """One StructuredTool per agent tool: arguments validated against the typed signature."""
    tools = []
    for name in AGENT_TOOLS:
        method = getattr(video, name)
        tools.append(
            StructuredTool.from_function(
                func=method, name=name, description=inspect.getdoc(method) or name
            )
        )
    return tools


def arguments_schema(tool: StructuredTool) -> dict:
    """The JSON schema of a tool's arguments, as the model must write them."""
    schema = tool.tool_call_schema.model_json_schema()
    return {
        "type": "object",
        "properties": schema.get("properties", {}),
        "required": schema.get("required", []),
    }


def signature_text(tool: StructuredTool) -> str:
    """A compact argument list for the prompt, e.g. ``(query: string, camera?: string)``."""
    schema = arguments_schema(tool)
    parts = []
    for name, prop in schema["properties"].items():
        kinds = [p.get("type", "any") for p in prop.get("anyOf", [prop]) if p.get("type") != "null"]
        optional = "" if name in schema["required"] else "?"
        parts.append(f"{name}{optional}: {'|'.join(kinds)}")
    return f"({', '.join(parts)})"


def step_schema(tools: list[StructuredTool], allow_tools: bool = True) -> dict:
    """JSON schema of one agent step: an answer, or (if allowed) a call to one tool."""
    answer = {
        "type": "object",
        "properties": {"answer": {"type": "string"}},
        "required": ["answer"],
    }
    if not allow_tools:
        return answer
    calls = [
        {
            "type": "object",
            "properties": {"tool": {"const": t.name}, "arguments": arguments_schema(t)},
            "required": ["tool", "arguments"],
        }
        for t in tools
    ]
    return {"anyOf": [answer, *calls]}
