import json

import pytest
from typer.testing import CliRunner

from agent.services import Services
from cli.main import app
from tests.fakes import ScriptedModel

runner = CliRunner()


@pytest.fixture
def ask(searchable, make_agent):
    def run(replies: list[str], *args: str):
        services = Services(searchable, chat=make_agent(ScriptedModel(replies)))
        return runner.invoke(app, ["ask", *args], obj=services)

    return run


def test_ask_streams_the_answer_and_lists_the_cited_frames(ask):
    reply = json.dumps({"answer": "A red vehicle appears [F1]."})
    result = ask([reply], "Was there a car in the parking lot?")
    assert result.exit_code == 0, result.output
    assert "→ search_video(" in result.output and "A red vehicle appears [F1]." in result.output
    assert "[F1] parking" in result.output and "conversation " in result.output


def test_ask_prints_only_the_checked_answer(ask):
    reply = json.dumps({"answer": "The gate was forced [F9]."})
    result = ask([reply], "Was there a red car in the parking lot?")
    assert "No evidence found" in result.output and "gate was forced" not in result.output


def test_ask_refuses_an_empty_question_with_one_error_line(ask):
    result = ask([], "   ")
    assert result.exit_code == 2 and "error: the question is empty" in result.output
