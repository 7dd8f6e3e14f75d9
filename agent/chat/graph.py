"""The chat graph's nodes and edges: prepare -> retrieve -> (decide <-> act) -> check."""

from __future__ import annotations

from functools import partial

from langgraph.graph import END, START, StateGraph

from agent.chat.answering import act, after_decide, check, decide
from agent.chat.retrieval import prepare, retrieve
from agent.chat.state import AgentState, Engine


def build_graph(engine: Engine):
    """The compiled graph, its nodes run by ``engine``. Without evidence, or for what the
    site's models cannot see, the model is not asked at all: the check says so."""
    graph = StateGraph(AgentState)
    for name, node in (
        ("prepare", prepare),
        ("retrieve", retrieve),
        ("decide", decide),
        ("act", act),
        ("check", check),
    ):
        graph.add_node(name, partial(node, engine))
    graph.add_edge(START, "prepare")
    graph.add_edge("prepare", "retrieve")
    graph.add_conditional_edges(
        "retrieve",
        lambda s: "decide" if s["frames"] and s.get("raw_answer") is None else "check",
        ["decide", "check"],
    )
    graph.add_conditional_edges("decide", after_decide, ["act", "decide", "check"])
    graph.add_edge("act", "decide")
    graph.add_edge("check", END)
    return graph.compile()
