"""Usage errors are one plain `pdj: error:` line and a `Try` line, exit 2; help shows metavars."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from pdj_cli.cli import app

ARN = "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/erase-42"
GROUP = typer.main.get_command(app)
COMMANDS = GROUP.list_commands(typer.Context(GROUP, info_name="pdj"))  # type: ignore[attr-defined]
BOX = re.compile("[\u2500-\u257f]")  # box-drawing characters


def run(*args: str, env: dict[str, str] | None = None, columns: int = 80):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": str(columns), **(env or {})})


BAD_LINES = [
    (("describe",), "pdj describe"),
    (("describe", ARN, "extra"), "pdj describe"),
    (("describe", ARN, "--bogus"), "pdj describe"),
    (("describe", ARN, "-o", "yaml"), "pdj describe"),
    (("describe", ARN, "--query", "a."), "pdj describe"),
    (("describe", "--version"), "pdj describe"),
    (("list", "--region"), "pdj list"),
    (("list", "--status", "not a word"), "pdj list"),
    (("watch", ARN, "--interval", "soon"), "pdj watch"),
    (("watch", ARN, "--no-exit-status"), "pdj watch"),
    (("batch", ARN, "--concurrency", "0"), "pdj batch"),
    (("completion", "tcsh"), "pdj completion"),
    (("lsit",), "pdj"),
    (("--bogus",), "pdj"),
]


@pytest.mark.parametrize(("args", "path"), BAD_LINES)
def test_every_usage_error_is_one_plain_line_and_a_try_line(args, path):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    error, try_line = result.stderr.splitlines()
    assert error.startswith("pdj: error: ")
    assert try_line == f"Try '{path} --help'"
    assert not BOX.search(result.stderr)
    assert "Value error" not in error


def test_a_bad_pdj_output_names_the_variable_and_the_choices():
    result = run("list", env={"PDJ_OUTPUT": "yaml"})
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "pdj: error: PDJ_OUTPUT is 'yaml'; choose from table, json, jsonl, text, csv, markdown"
    )


def test_a_bad_output_option_names_what_was_typed_and_the_choices():
    result = run("list", "-o", "yaml")
    assert result.stderr.splitlines()[0] == (
        "pdj: error: --output 'yaml' is not a choice; "
        "choose from table, json, jsonl, text, csv, markdown"
    )


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("a.", "'a.': a name, '[' or '{' expected at column 3, found the end"),
        ("a b", "'a b': unexpected 'b' at column 3"),
        ("a[", "'a[': it ends at column 3 before the expression is complete"),
        ("a.`x", "'a.`x': unclosed ` delimiter at column 3"),
    ],
)
def test_a_bad_query_names_the_expression_and_where_it_went_wrong(query, says):
    result = run("describe", ARN, "--query", query)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"pdj: error: invalid --query {says}"


def test_version_after_a_command_points_at_pdj_version_not_at_region():
    result = run("describe", "--version")
    error = result.stderr.splitlines()[0]
    assert "--region" not in error
    assert "'pdj --version'" in error


def test_a_near_miss_is_suggested_and_a_far_one_is_not():
    assert "did you mean --region?" in run("describe", ARN, "--regoin", "x").stderr
    assert "did you mean" not in run("describe", ARN, "--verbose").stderr
    assert "did you mean list?" in run("lsit").stderr


def test_a_shared_option_with_no_command_says_a_command_is_needed():
    result = run("--region", "eu-west-1")
    assert result.exit_code == 2
    assert "--region belongs to a command" in result.stderr


def test_a_missing_argument_shows_the_usage_in_the_line():
    result = run("watch")
    assert result.stderr.splitlines()[0] == (
        "pdj: error: pdj watch needs ARN: pdj watch [OPTIONS] ARN"
    )


@pytest.mark.parametrize("columns", [60, 80, 120, 200])
@pytest.mark.parametrize("name", ["", *COMMANDS])
def test_help_shows_metavars_not_type_labels(name, columns):
    result = run(*([name] if name else []), "--help", columns=columns)
    assert result.exit_code == 0
    for label in ("<bool>", "<str>", "<list[str]>", "<int", "<float>", "{ARN}", "<table"):
        assert label not in result.stdout
    if name in ("describe", "watch"):
        assert f"Usage: pdj {name} [OPTIONS] ARN" in result.stdout


def test_watch_exit_status_is_documented_as_always_on_without_a_default_or_a_negation():
    help_text = " ".join(run("watch", "--help", columns=200).stdout.split())
    assert "Accepted, and always on" in help_text
    assert "default: True" not in help_text
    assert "--no-exit-status" not in help_text
