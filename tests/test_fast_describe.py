"""The fast path (a plain describe without typer) must agree with typer on every command line
it accepts, and leave every other command line to typer. Command lines are written by hand and
generated from the shared option table both parsers are built from."""

from __future__ import annotations

import os
import subprocess
import sys
from unittest import mock

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pdj_cli import entry
from pdj_cli.cli import app
from pdj_cli.errors import ExitCode
from pdj_cli.fast_describe import EXIT_STATUS_FLAG, DescribeCall, parse_describe
from pdj_cli.option_table import SHARED_OPTIONS, SharedOption, command_first
from tests.factories import deletion_job, job_arn

ARN = job_arn()


def typer_call(mocker, argv: list[str], env: dict[str, str] | None = None) -> DescribeCall:
    """What the typer command hands to the shared describe body for `argv`."""
    body = mocker.patch("pdj_cli.describing.describe_job", return_value=ExitCode.OK)
    result = CliRunner().invoke(app, argv, env=env)
    assert result.exit_code == 0, result.stderr
    arn, exit_status, aws = body.call_args.args
    return DescribeCall(arn, exit_status, aws)


@pytest.mark.parametrize(
    "argv",
    [
        ["describe", ARN],
        ["describe", ARN, "-o", "json"],
        ["describe", ARN, "--output=text"],
        ["describe", ARN, "-o", "JSONL"],
        ["describe", ARN, "-o", "table"],
        ["describe", ARN, "-o", "csv"],
        ["describe", ARN, "--output=markdown"],
        ["describe", ARN, "-oCSV"],
        ["describe", ARN, "--query", "dataDeletionJob.[jobName, status]", "-o", "csv"],
        ["describe", "-o", "text", ARN],
        ["describe", ARN, "--query", "dataDeletionJob.status"],
        ["describe", ARN, "--query=dataDeletionJob.[jobName, status]", "-o", "text"],
        ["describe", ARN, "--region", "eu-west-1", "--profile=work"],
        ["describe", ARN, "--endpoint-url", "http://127.0.0.1:4599"],
        ["describe", ARN, "--no-color", "--exit-status"],
        ["describe", "not-an-arn"],  # both parsers accept it; describe_job rejects it
        ["describe", "-"],
        ["describe", ARN, "-ojson"],
        ["describe", ARN, "--region", "a", "--region", "b"],  # the last, as click takes it
        ["describe", ARN, "-o", "json", "--output=text", "--no-color", "--no-color"],
    ],
)
def test_the_fast_path_reads_a_command_line_exactly_as_typer_does(mocker, argv):
    fast = parse_describe(argv)
    assert fast is not None
    assert fast == typer_call(mocker, argv)


@pytest.mark.parametrize(
    ("env", "argv"),
    [
        ({"PDJ_OUTPUT": "text"}, ["describe", ARN]),
        ({"PDJ_OUTPUT": "text"}, ["describe", ARN, "-o", "json"]),
        ({"PDJ_OUTPUT": "csv"}, ["describe", ARN]),
        ({"PDJ_OUTPUT": "Markdown"}, ["describe", ARN]),
        ({"PDJ_OUTPUT": "csv"}, ["describe", ARN, "-o", "markdown"]),
        ({"AWS_PROFILE": "from-env"}, ["describe", ARN]),
        ({"AWS_PROFILE": "from-env"}, ["describe", ARN, "--profile", "given"]),
    ],
)
def test_the_fast_path_reads_the_environment_as_typer_does(mocker, monkeypatch, env, argv):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert parse_describe(argv) == typer_call(mocker, argv, env=env)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["list"],
        ["describe"],
        ["describe", ARN, ARN],
        ["describe", ARN, "--help"],
        ["describe", "-h"],
        ["describe", ARN, "--debug"],
        ["describe", ARN, "-o", "yaml"],
        ["describe", ARN, "--query", "dataDeletionJob.["],
        ["describe", ARN, "--region"],
        ["describe", ARN, "--exit-status=yes"],
        ["describe", ARN, "--bogus"],
        ["describe", "--", ARN],
    ],
)
def test_anything_else_is_left_to_typer(argv):
    assert parse_describe(argv) is None


def test_an_invalid_pdj_output_is_left_to_typer(monkeypatch):
    monkeypatch.setenv("PDJ_OUTPUT", "xml")
    assert parse_describe(["describe", ARN]) is None


def test_main_serves_a_plain_describe_through_the_error_boundary(mocker, capsys):
    mocker.patch("pdj_cli.service.JobService.describe", return_value=deletion_job(status="FAILED"))
    code = entry.main(["describe", ARN, "-o", "text", "--exit-status"])
    out = capsys.readouterr()
    assert code == ExitCode.JOB_FAILED
    assert out.out.split("\t")[:2] == ["erase-42", "FAILED"]


def test_the_fast_path_reports_errors_exactly_as_typer_does(capsys):
    code = entry.main(["describe", "arn:aws:s3:::bucket"])
    fast_err = capsys.readouterr().err
    typer_result = CliRunner().invoke(app, ["describe", "arn:aws:s3:::bucket"])
    assert code == typer_result.exit_code == ExitCode.USAGE
    assert fast_err == typer_result.stderr


def test_a_plain_describe_never_imports_typer():
    code = (
        "import sys\nfrom pdj_cli.entry import main\n"
        "code = main(['describe', 'not-an-arn'])\n"
        "print(code, 'typer' in sys.modules, 'rich' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["2", "False", "False"]


def test_main_hands_everything_else_to_typer(capsys):
    with pytest.raises(SystemExit) as done:
        entry.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("pdj ")


# -- command lines made from the option table ------------------------------------------------

SERVED = [option for option in SHARED_OPTIONS if option.name != "debug"]


def sample_values(option: SharedOption) -> list[str]:
    """Values worth giving `option`: good ones, odd ones and ones typer rejects."""
    if option.choices is not None:
        names = [choice.value for choice in option.choices]
        return [*names, names[0].upper(), "yaml", ""]
    if option.checks_query:
        return ["dataDeletionJob.status", "dataDeletionJob.[jobName, status]", "dataDeletionJob.["]
    return ["eu-west-1", "work", "http://127.0.0.1:4599", "", "a=b", "-"]


def option_forms(option: SharedOption, value: str) -> list[list[str]]:
    """Every way to write `option` with `value`: each flag, apart and with `=`; -xVALUE."""
    if not option.takes_value:
        return [[flag] for flag in option.flags]
    forms = [form for flag in option.flags for form in ([flag, value], [f"{flag}={value}"])]
    return forms + [[f"{flag}{value}"] for flag in option.flags if not flag.startswith("--")]


def typer_and_fast_agree(argv: list[str], env: dict[str, str]) -> None:
    """The fast path reads `argv` as typer does, or leaves it to typer (None)."""
    with mock.patch.dict(os.environ, env):
        fast = parse_describe(argv)
    if fast is None:
        return
    with mock.patch("pdj_cli.describing.describe_job", return_value=ExitCode.OK) as body:
        result = CliRunner().invoke(app, argv, env=env)
    assert result.exit_code == 0, (argv, env, result.stderr)
    arn, exit_status, aws = body.call_args.args
    assert fast == DescribeCall(arn, exit_status, aws), (argv, env)


TABLE_CASES = [
    pytest.param(["describe", ARN, *form], id=f"{option.name}:{' '.join(form)}")
    for option in SERVED
    for value in sample_values(option)
    for form in option_forms(option, value)
]


@pytest.mark.parametrize("argv", TABLE_CASES)
def test_every_form_of_every_shared_option_reads_as_typer_reads_it(argv):
    typer_and_fast_agree(argv, {})
    typer_and_fast_agree([*argv, EXIT_STATUS_FLAG], {})


@pytest.mark.parametrize(
    ("option", "variable", "value"),
    [
        (option, variable, value)
        for option in SERVED
        for variable in option.envvars
        for value in sample_values(option)
    ],
)
def test_every_environment_variable_reads_as_typer_reads_it(option, variable, value):
    typer_and_fast_agree(["describe", ARN], {variable: value})
    for form in option_forms(option, sample_values(option)[0]):
        typer_and_fast_agree(["describe", ARN, *form], {variable: value})


def test_both_parsers_are_built_from_the_table():
    """typer's describe has exactly the table's options, as the table declares them."""
    group = typer.main.get_command(app)
    with typer.Context(group) as context:
        describe = group.get_command(context, "describe")
    params = {param.name: param for param in describe.params}
    assert set(params) == {"arn", "exit_status"} | {option.name for option in SHARED_OPTIONS}
    for option in SHARED_OPTIONS:
        param = params[option.name]
        assert param.opts == list(option.flags)
        assert (param.envvar or []) == list(option.envvars)
        assert param.help == option.help
        assert param.is_flag is not option.takes_value
        assert (param.metavar, param.rich_help_panel) == (option.metavar, option.panel)
    # choices are held by the command lines above: every value of OutputFormat, and others


def option_words(option: SharedOption) -> st.SearchStrategy[list[str]]:
    if not option.takes_value:
        return st.sampled_from([[flag] for flag in option.flags] + [[f"{option.flags[0]}=1"]])
    return st.sampled_from(sample_values(option)).flatmap(
        lambda value: st.sampled_from(option_forms(option, value))
    )


WORDS = st.one_of(
    *(option_words(option) for option in SHARED_OPTIONS),
    st.sampled_from([[EXIT_STATUS_FLAG], [f"{EXIT_STATUS_FLAG}=yes"], ["--"], ["-h"], [ARN]]),
)
ENVIRONMENT = st.dictionaries(
    st.sampled_from([variable for option in SHARED_OPTIONS for variable in option.envvars]),
    st.sampled_from(["json", "TEXT", "csv", "markdown", "yaml", "", "from-env"]),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.lists(WORDS, max_size=3),
    after=st.lists(WORDS, max_size=3),
    env=ENVIRONMENT,
)
def test_any_mix_of_table_options_reads_as_typer_reads_it(before, after, env):
    argv = ["describe", *(word for words in before for word in words), ARN]
    argv += [word for words in after for word in words]
    typer_and_fast_agree(argv, env)


# -- shared options before the command (`pdj -o json describe ARN`) --------------------------


def typer_through_the_entry(argv: list[str], env: dict[str, str]) -> DescribeCall | None:
    """What the console script hands describe's body for `argv` when typer parses it."""
    with (
        mock.patch.dict(os.environ, env),
        mock.patch("pdj_cli.fast_describe.run_fast_describe", return_value=None),
        mock.patch("pdj_cli.describing.describe_job", return_value=ExitCode.OK) as body,
        pytest.raises(SystemExit) as done,
    ):
        entry.main(argv)
    if done.value.code != 0:
        return None
    arn, exit_status, aws = body.call_args.args
    return DescribeCall(arn, exit_status, aws)


def fast_through_the_entry(argv: list[str], env: dict[str, str]) -> DescribeCall | None:
    with mock.patch.dict(os.environ, env):
        return parse_describe(command_first(argv))


@pytest.mark.parametrize(
    ("argv", "region", "output"),
    [
        (["--region", "eu-west-1", "describe", ARN], "eu-west-1", None),
        (["--region=eu-west-1", "-o", "text", "describe", ARN], "eu-west-1", "text"),
        (["-otext", "describe", ARN], None, "text"),
        (["-o", "json", "describe", ARN, "-o", "text"], None, "text"),  # the command's side wins
        (["--region", "a", "describe", "--region=b", ARN], "b", None),
        (["--no-color", "--profile", "describe", "describe", ARN], None, None),  # a value
    ],
)
def test_options_before_the_command_read_the_same_in_both_parsers(argv, region, output):
    fast = fast_through_the_entry(argv, {})
    assert fast is not None
    assert fast == typer_through_the_entry(argv, {})
    assert fast.aws.region == region
    assert (fast.aws.output.value if fast.aws.output else None) == output


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["--region", "eu-west-1"],
        ["--region"],
        ["--bogus", "describe", ARN],
        ["--region", "r", "--", "describe", ARN],
        ["-h", "describe"],
    ],
)
def test_what_is_not_a_shared_option_before_a_command_is_left_as_typed(argv):
    assert command_first(argv) == argv


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.lists(WORDS, max_size=3),
    after=st.lists(WORDS, max_size=2),
    env=ENVIRONMENT,
)
def test_any_mix_of_options_on_both_sides_reads_as_typer_reads_it(before, after, env):
    argv = [word for words in before for word in words if word != ARN]
    argv += ["describe", ARN, *(word for words in after for word in words)]
    fast = fast_through_the_entry(argv, env)
    if fast is not None:
        assert fast == typer_through_the_entry(argv, env), (argv, env)


@pytest.mark.parametrize(
    ("output", "rich_expected"),
    [("json", False), ("table", True), ("csv", False), ("markdown", False)],
)
def test_a_served_describe_never_imports_typer(output, rich_expected, monkeypatch):
    """A describe that reaches the service and prints: no typer; rich only for a table."""
    from pdj_cli.emulator import DEMO_JOB_ARN, Emulator

    with Emulator() as emulator:
        monkeypatch.setenv("AWS_ENDPOINT_URL_PERSONALIZE", emulator.endpoint_url)
        code = (
            "import sys\nfrom pdj_cli.entry import main\n"
            f"code = main(['describe', {DEMO_JOB_ARN!r}, '-o', {output!r}])\n"
            "print(code, 'typer' in sys.modules, 'rich' in sys.modules, file=sys.stderr)"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert emulator.request_count("DescribeDataDeletionJob") == 1
    assert out.stderr.split()[-3:] == ["0", "False", str(rich_expected)]
    assert "demo-gdpr-erasure" in out.stdout


@pytest.mark.parametrize("output", ["csv", "markdown"])
def test_the_fast_path_prints_csv_and_markdown_as_typer_does(output, mocker, capsys):
    mocker.patch("pdj_cli.service.JobService.describe", return_value=deletion_job(status="FAILED"))
    argv = ["describe", ARN, "-o", output]
    assert entry.main(argv) == ExitCode.OK
    fast = capsys.readouterr().out
    typer_result = CliRunner().invoke(app, argv)
    assert typer_result.exit_code == ExitCode.OK
    assert fast == typer_result.stdout_bytes.decode()  # .stdout turns CRLF into LF
    assert "erase-42" in fast and "FAILED" in fast
