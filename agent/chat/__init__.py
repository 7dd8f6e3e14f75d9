"""The chat agent: a LangGraph loop over the video tools with a local, grammar-bound LLM,
laid out as the LangGraph templates lay one out.

prepare (time words, camera names, follow-up rewrite) -> retrieve (the first evidence:
counts and tracks, or a search and its relevance check) -> decide (the model answers or
calls one more tool, as JSON held to a schema) <-> act -> check (citations, no evidence)
-> the turn is stored.

- `state`: what flows between the nodes, and the events the operator sees;
- `retrieval`: understanding the question and gathering the first evidence;
- `answering`: the model's turn, grounding its answer, storing the turn;
- `graph`: the nodes and their edges;
- `agent`: `ChatAgent`, which runs a question, cancels it and holds the one model.
"""

from agent.chat.agent import ChatAgent
from agent.chat.state import MAX_QUESTION_CHARS, AgentEvent, ChatModel

__all__ = ["MAX_QUESTION_CHARS", "AgentEvent", "ChatAgent", "ChatModel"]
