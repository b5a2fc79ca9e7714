"""The static completion scripts: regenerated without drift, and exercised in the real shells.

bash is driven two ways: its completion function called with COMP_WORDS as readline would split
the line (fast, many cases), and an interactive bash under pexpect where readline itself splits
and inserts. zsh and fish, where installed, are syntax-checked and driven for real too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from enum import Enum
from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from pdj_cli.cli import app
from pdj_cli.completion import generate, script_name, write_scripts
from pdj_cli.completion.bash import render_bash
from pdj_cli.completion.fish import render_fish
from pdj_cli.completion.spec import DURATION_EXAMPLES, describe_cli
from pdj_cli.completion.template import fill
from pdj_cli.completion.zsh import render_zsh
from pdj_cli.models import KNOWN_STATUSES
from pdj_cli.option_table import SHARED_OPTIONS
from pdj_cli.shells import Shell

COMPLETIONS = Path(__file__).resolve().parents[1] / "completions"
BASH_SCRIPT = COMPLETIONS / "pdj.bash"
ZSH_SCRIPT = COMPLETIONS / "_pdj"
FISH_SCRIPT = COMPLETIONS / "pdj.fish"
GROUP = typer.main.get_command(app)
_ROOT = typer.Context(GROUP, info_name="pdj")
COMMANDS = [
    name
    for name in GROUP.list_commands(_ROOT)  # type: ignore[attr-defined]
    if not GROUP.get_command(_ROOT, name).hidden  # type: ignore[attr-defined]
]
FORMATS = ["table", "json", "jsonl", "text", "csv", "markdown"]
SHELLS = ["bash", "zsh", "fish"]
# pdj accepts the shared options before the command too (pdj_cli.option_table.command_first).
SHARED_NAMES = {flag for option in SHARED_OPTIONS for flag in option.flags}
ROOT_NAMES = {"--version", "--help", "-h"} | SHARED_NAMES
# bash's default COMP_WORDBREAKS: readline splits words at these characters too.
WORDBREAKS = " \t\n\"'><=;|&(:"
BASH = shutil.which("bash")
ZSH = shutil.which("zsh")
FISH = shutil.which("fish")
needs_zsh = pytest.mark.skipif(ZSH is None, reason="zsh is not installed (apt-get install zsh)")
needs_fish = pytest.mark.skipif(FISH is None, reason="fish is not installed (apt-get install fish)")
SHELLCHECK = shutil.which("shellcheck")


def option_names(command: str) -> set[str]:
    """Every option name the app accepts for `command`, straight from typer."""
    spec = next(c for c in describe_cli(GROUP).commands if c.name == command)
    return {name for option in spec.options for name in option.names}


@pytest.fixture
def aws_files(isolated_aws: Path) -> Path:
    """AWS config and credentials files with profiles and sections that are not profiles."""
    (isolated_aws / "config").write_text(
        "[default]\nregion = us-east-1\n"
        "[profile dev]\nregion = eu-west-1\n"
        "[ profile  staging ]  # spaces botocore tolerates\n"
        "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\n"
        "[services local]\n[plugins]\n"
    )
    (isolated_aws / "credentials").write_text("[ci]\naws_access_key_id = x\n[default]\n")
    return isolated_aws


PROFILES = {"default", "dev", "staging", "ci"}


# --- regeneration ---------------------------------------------------------------------------


@pytest.mark.parametrize("shell", list(Shell))
def test_checked_in_script_is_what_the_app_generates(shell: Shell):
    path = COMPLETIONS / script_name(shell)
    assert path.read_text() == generate(shell, GROUP), (
        f"{path} is out of date with the CLI: run `python -m pdj_cli.completion`"
    )


@pytest.mark.skipif(
    SHELLCHECK is None, reason="shellcheck is not installed (apt-get install shellcheck)"
)
def test_the_bash_script_passes_shellcheck(tmp_path: Path):
    script = tmp_path / "pdj.bash"
    script.write_text(generate(Shell.bash, GROUP))
    result = subprocess.run(
        [SHELLCHECK, "-s", "bash", str(script)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_template_fills_every_placeholder_and_nothing_else():
    assert "@PDJ_" not in generate(Shell.bash, GROUP)
    with pytest.raises(ValueError, match="@PDJ_COMMAND_CASES@"):
        fill("pdj.bash.in")
    with pytest.raises(ValueError, match="@PDJ_UNKNOWN@"):
        fill("pdj.bash.in", command_cases="", unknown="")


def test_write_scripts_writes_all_three(tmp_path: Path):
    written = write_scripts(tmp_path, GROUP)
    assert sorted(path.name for path in written) == ["_pdj", "pdj.bash", "pdj.fish"]
    assert all(path.read_text() == (COMPLETIONS / path.name).read_text() for path in written)


@pytest.mark.parametrize("shell", SHELLS)
def test_pdj_completion_prints_the_script(shell: str):
    result = CliRunner().invoke(app, ["completion", shell.upper()])
    assert result.exit_code == 0
    assert result.stdout == (COMPLETIONS / script_name(Shell(shell))).read_text()


def test_pdj_completion_rejects_an_unknown_shell():
    result = CliRunner().invoke(app, ["completion", "tcsh"])
    assert result.exit_code == 2
    assert result.stdout == ""


class Colour(str, Enum):
    red = "red"
    blue = "blue"


def test_the_generator_follows_the_app_it_is_given():
    tiny = typer.Typer()

    @tiny.command("paint")
    def paint(
        colour: Annotated[Colour, typer.Option("--colour", "-k", help="Which colour.")],
        wait: Annotated[str, typer.Option(metavar="DURATION", help="How long. More text.")] = "",
    ) -> None:
        """Paint things."""

    @tiny.command("other")
    def other() -> None:
        """Another."""

    spec = describe_cli(typer.main.get_command(tiny))
    for script in (render_bash(spec), render_zsh(spec), render_fish(spec)):
        assert "paint" in script and "colour" in script and "red blue" in script
        assert " ".join(DURATION_EXAMPLES) in script
        assert "More text" not in script  # one sentence of help only


def test_the_generator_refuses_what_the_scripts_cannot_express():
    tiny = typer.Typer()

    @tiny.command("pair")
    def pair(point: Annotated[tuple[int, int], typer.Option()] = (0, 0)) -> None:
        """Two values."""

    @tiny.command("other")
    def other() -> None:
        """Another."""

    with pytest.raises(NotImplementedError):
        describe_cli(typer.main.get_command(tiny))


# --- bash, its completion function called as readline would -------------------------------


def readline_words(line: str, breaks: str = WORDBREAKS) -> list[str]:
    """COMP_WORDS as bash builds them: words split at blanks, and '=' / ':' runs on their own."""
    separators = "".join(re.escape(c) for c in "=:" if c in breaks)
    words: list[str] = []
    for token in line.split():
        words += (
            [part for part in re.split(f"([{separators}]+)", token) if part]
            if separators
            else [token]
        )
    if line.endswith(" "):
        words.append("")
    return words


def bash_complete(
    line: str, *, breaks: str = WORDBREAKS, env: dict[str, str] | None = None
) -> list[str]:
    """What the bash script offers with the cursor at the end of `line`."""
    program = (
        'source "$SCRIPT"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE=$LINE; '
        'COMP_POINT=${#LINE}; COMP_WORDBREAKS=$BREAKS; _pdj; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    full_env = {
        **os.environ,
        **(env or {}),
        "SCRIPT": str(BASH_SCRIPT),
        "LINE": line,
        "BREAKS": breaks,
    }
    result = subprocess.run(
        [
            BASH or "bash",
            "--norc",
            "--noprofile",
            "-c",
            program,
            "bash",
            *readline_words(line, breaks),
        ],
        env=full_env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stderr == ""
    return [word for word in result.stdout.split("\n") if word]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("pdj ", COMMANDS),
        ("pdj w", ["watch"]),
        ("pdj d", ["describe", "demo"]),
        ("pdj -", sorted(ROOT_NAMES)),
        ("pdj --region eu-west-1 ", COMMANDS),
        ("pdj -o ", FORMATS),
        ("pdj --output js", ["json", "jsonl"]),
        ("pdj --output=js", ["json", "jsonl"]),
        ("pdj -o json l", ["list"]),
        ("pdj --profile list describe --o", ["--output"]),  # `list` is the profile's value
        ("pdj --region eu-west-1 -o json list --st", ["--status"]),
        ("pdj --no-color watch X --interval ", list(DURATION_EXAMPLES)),
        ("pdj --region eu-west-1 -", sorted(ROOT_NAMES - {"--region"})),
        ("pdj describe --o", ["--output"]),
        ("pdj list -o ", FORMATS),
        ("pdj list --output js", ["json", "jsonl"]),
        ("pdj describe --output=js", ["json", "jsonl"]),  # readline replaces the part after '='
        ("pdj describe --output=", FORMATS),
        ("pdj list --status ", list(KNOWN_STATUSES)),
        ("pdj list --status fa", ["FAILED"]),  # pdj accepts any case
        ("pdj list --status FAILED --st", ["--status"]),  # repeatable
        ("pdj watch X --interval ", list(DURATION_EXAMPLES)),
        ("pdj watch X --heartbeat 1", ["15s", "15m", "1m", "1h"]),
        ("pdj batch --wait --timeout ", list(DURATION_EXAMPLES)),
        ("pdj completion ", SHELLS),
        ("pdj completion z", ["zsh"]),
        ("pdj completion bash ", ["--help", "-h"]),  # its one argument is given
        ("pdj describe ", []),  # an ARN: nothing to guess
        ("pdj nosuch --", []),
    ],
)
def test_bash_offers(line: str, expected: list[str]):
    assert sorted(bash_complete(line)) == sorted(expected)


@pytest.mark.parametrize("command", COMMANDS)
def test_bash_offers_every_option_of_every_command(command: str):
    assert set(bash_complete(f"pdj {command} -")) == option_names(command)


def test_bash_offers_each_option_once():
    offered = set(bash_complete("pdj list --output json --debug -"))
    assert offered == option_names("list") - {"--output", "-o", "--debug"}
    assert "-o" not in bash_complete("pdj list -ojson -")
    assert "--output" not in bash_complete("pdj list --output=json --")


def test_bash_rejoins_an_arn_that_readline_split_at_colons():
    arn = "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/erase-42"
    assert set(bash_complete(f"pdj describe {arn} ")) == option_names("describe")
    assert bash_complete(f"pdj describe {arn} --out") == ["--output"]
    assert bash_complete(f"pdj watch {arn} --interval 1") == ["15s", "1m", "15m", "1h"]


def test_bash_without_equals_in_wordbreaks_answers_the_whole_word():
    breaks = WORDBREAKS.replace("=", "")
    assert bash_complete("pdj list --output=j", breaks=breaks) == [
        "--output=json",
        "--output=jsonl",
    ]


def test_bash_completes_file_names_for_files(tmp_path: Path):
    (tmp_path / "erasures.txt").write_text("")
    (tmp_path / "erasures-eu.txt").write_text("")
    (tmp_path / "other.json").write_text("")
    prefix = f"{tmp_path}/era"
    expected = [f"{tmp_path}/erasures-eu.txt", f"{tmp_path}/erasures.txt"]
    assert sorted(bash_complete(f"pdj batch -f {prefix}")) == expected
    assert sorted(bash_complete(f"pdj batch --file={prefix}")) == expected
    assert bash_complete(f"pdj emulator --scenario {tmp_path}/oth") == [f"{tmp_path}/other.json"]
    assert bash_complete(f"pdj emulator --request-log {tmp_path}/oth") == [f"{tmp_path}/other.json"]


def test_bash_offers_profiles_before_a_command(aws_files: Path):
    assert set(bash_complete("pdj --profile ")) == PROFILES
    assert set(bash_complete("pdj --profile dev ")) == set(COMMANDS)


def test_bash_offers_profiles_from_the_aws_files(aws_files: Path):
    assert set(bash_complete("pdj describe --profile ")) == PROFILES
    assert sorted(bash_complete("pdj list --profile d")) == ["default", "dev"]


def test_bash_reads_the_default_aws_files_under_home(tmp_path: Path):
    (tmp_path / ".aws").mkdir()
    (tmp_path / ".aws" / "config").write_text("[profile from-home]\n")
    env = {"HOME": str(tmp_path), "AWS_CONFIG_FILE": "", "AWS_SHARED_CREDENTIALS_FILE": ""}
    assert bash_complete("pdj describe --profile ", env=env) == ["from-home"]


def test_bash_offers_no_profiles_without_aws_files(isolated_aws: Path):
    assert bash_complete("pdj describe --profile ") == []


def test_tab_never_runs_python_or_pdj(tmp_path: Path, aws_files: Path):
    """Every external program a script could run is a stub that records being called."""
    calls = tmp_path / "calls"
    stubs = tmp_path / "bin"
    stubs.mkdir()
    for name in ("python", "python3", "pdj", "sed", "awk", "cat", "sort"):
        stub = stubs / name
        stub.write_text(f'#!/bin/sh\necho "{name} $*" >> "{calls}"\n')
        stub.chmod(0o755)
    env = {"PATH": str(stubs)}
    assert bash_complete("pdj list --status ", env=env) == list(KNOWN_STATUSES)
    assert set(bash_complete("pdj describe --profile ", env=env)) == PROFILES
    offered = sorted(bash_complete(f"pdj batch -f {stubs}/pyth", env=env))
    assert offered == [f"{stubs}/python", f"{stubs}/python3"]
    if FISH:
        assert "PENDING" in fish_complete("pdj list --status ", env=env)
    if ZSH:
        with ZshSession(env=env) as zsh:
            assert zsh.complete("pdj list --status ") == list(KNOWN_STATUSES)
    assert not calls.exists(), calls.read_text()


# --- bash, interactive: readline itself splits the line and inserts the answer ---------------


@pytest.fixture
def interactive_bash(isolated_aws: Path):
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        BASH or "bash",
        ["--norc", "--noprofile", "-i"],
        env={**os.environ, "PS1": "$ ", "TERM": "dumb", "INPUTRC": "/dev/null"},
        encoding="utf-8",
        timeout=10,
    )
    child.sendline(f"source {BASH_SCRIPT}; echo READY")
    child.expect("READY\r\n")
    yield child
    child.sendeof()
    child.close(force=True)


def line_after_tab(child, typed: str, mark: str) -> str:
    """Type, press Tab, then turn the edited line into an `echo` to read it back."""
    child.send(typed + "\t")
    time.sleep(0.1)
    # Ctrl-A: to the start of the line. The terminal echoes mark""mark; only echo prints markmark.
    child.send(f'\x01echo {mark}""{mark} \r')
    child.expect(mark + mark + r" ([^\r\n]*)\r\n")
    return child.match.group(1).strip()


def test_bash_interactive_tab_completes_in_place(interactive_bash):
    arn = "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/erase-42"
    child = interactive_bash
    assert line_after_tab(child, "pdj wat", "L1") == "pdj watch"
    assert line_after_tab(child, "pdj list --status=IN", "L2") == "pdj list --status=IN_PROGRESS"
    assert line_after_tab(child, f"pdj describe {arn} --out", "L3") == (
        f"pdj describe {arn} --output"
    )
    assert line_after_tab(child, "pdj completion fi", "L4") == "pdj completion fish"


# --- zsh --------------------------------------------------------------------------------------


class ZshSession:
    """An interactive zsh with compinit and the script on fpath; records every match offered."""

    SETUP = r"""
PS1='%% '
bindkey -e
fpath=({completions} $fpath)
autoload -U compinit && compinit -u -D
compadd() {{
  if [[ ${{@[1,(i)(-|--)]}} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
  local -a __hits
  builtin compadd -A __hits "$@"
  (( $#__hits )) && print -rl -- "${{__hits[@]}}" >>{capture}
  builtin compadd "$@"
}}
__capture_tab() {{ zle complete-word; print -r -- {end} >>{capture} }}
zle -N __capture_tab && bindkey '^I' __capture_tab
print READY
"""
    END = "@@completion-done@@"

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.env = env or {}

    def __enter__(self) -> ZshSession:
        pexpect = pytest.importorskip("pexpect")
        self.capture = Path(os.environ["AWS_CONFIG_FILE"]).parent / "zsh-matches"
        self.child = pexpect.spawn(
            ZSH or "zsh",
            ["-f", "-i"],
            env={**os.environ, "TERM": "xterm", **self.env},
            encoding="utf-8",
            dimensions=(50, 250),
            timeout=10,
        )
        setup = self.SETUP.format(completions=COMPLETIONS, capture=self.capture, end=self.END)
        for line in setup.strip().splitlines():
            self.child.sendline(line)
        self.child.expect("READY\r\n")
        self.count = 0
        return self

    def complete(self, line: str) -> list[str]:
        self.capture.write_text("")
        self.count += 1
        self.child.send(line + "\t")
        # Wait until the Tab widget has finished: zsh skips work while keys are waiting.
        deadline = time.monotonic() + 10
        while self.END not in self.capture.read_text():
            assert time.monotonic() < deadline, f"zsh did not complete {line!r}"
            time.sleep(0.01)
        self.child.send("\x15")  # Ctrl-U: drop the line
        self.child.sendline(f"print SYNC{self.count}")
        self.child.expect(f"SYNC{self.count}\r\n")
        words = self.capture.read_text().split()
        return list(dict.fromkeys(word for word in words if word != self.END))

    def __exit__(self, *exc: object) -> None:
        self.child.close(force=True)


@needs_zsh
def test_zsh_script_is_valid_zsh():
    result = subprocess.run([ZSH or "zsh", "-n", str(ZSH_SCRIPT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@needs_zsh
def test_zsh_offers(aws_files: Path):
    with ZshSession() as zsh:
        assert zsh.complete("pdj ") == COMMANDS
        assert zsh.complete("pdj w") == ["watch"]
        assert zsh.complete("pdj describe --o") == ["--output"]
        assert zsh.complete("pdj list -o ") == FORMATS
        assert zsh.complete("pdj list --output=js") == ["json", "jsonl"]
        assert zsh.complete("pdj list --status ") == list(KNOWN_STATUSES)
        assert zsh.complete("pdj watch X --interval ") == list(DURATION_EXAMPLES)
        assert set(zsh.complete("pdj describe --profile ")) == PROFILES
        assert zsh.complete("pdj completion ") == SHELLS
        assert set(zsh.complete("pdj list -o json -")) == option_names("list") - {"-o", "--output"}
        # the shared options before the command
        assert set(zsh.complete("pdj -")) == ROOT_NAMES
        assert zsh.complete("pdj -o ") == FORMATS
        assert set(zsh.complete("pdj --profile ")) == PROFILES
        assert zsh.complete("pdj --region eu-west-1 ") == COMMANDS
        assert zsh.complete("pdj -o json --profile dev l") == ["list"]
        assert zsh.complete("pdj --region eu-west-1 list --st") == ["--status"]


@needs_zsh
def test_zsh_completes_file_names(tmp_path: Path):
    (tmp_path / "erasures.txt").write_text("")
    with ZshSession() as zsh:
        assert zsh.complete(f"pdj batch -f {tmp_path}/era") == ["erasures.txt"]


# --- fish -------------------------------------------------------------------------------------


def fish_complete(line: str, env: dict[str, str] | None = None) -> list[str]:
    program = f"source {FISH_SCRIPT}; complete -C {_fish_quote(line)}"
    result = subprocess.run(
        [FISH or "fish", "--no-config", "-c", program],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stderr == ""
    return [entry.split("\t")[0] for entry in result.stdout.splitlines()]


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


@needs_fish
def test_fish_script_is_valid_fish():
    result = subprocess.run(
        [FISH or "fish", "-n", str(FISH_SCRIPT)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@needs_fish
def test_fish_offers(aws_files: Path, tmp_path: Path):
    (tmp_path / "erasures.txt").write_text("")
    assert sorted(fish_complete("pdj ")) == sorted(COMMANDS)
    assert fish_complete("pdj w") == ["watch"]
    assert fish_complete("pdj describe --o") == ["--output"]
    assert sorted(fish_complete("pdj list -o ")) == sorted(FORMATS)
    assert fish_complete("pdj list --output=js") == ["--output=json", "--output=jsonl"]
    assert sorted(fish_complete("pdj list --status ")) == sorted(KNOWN_STATUSES)
    assert sorted(fish_complete("pdj watch X --interval ")) == sorted(DURATION_EXAMPLES)
    assert set(fish_complete("pdj describe --profile ")) == PROFILES
    assert sorted(fish_complete("pdj completion ")) == sorted(SHELLS)
    assert fish_complete("pdj completion bash ") == []
    assert fish_complete(f"pdj batch -f {tmp_path}/era") == [f"{tmp_path}/erasures.txt"]
    assert fish_complete("pdj describe ") == []  # an ARN; no file names either
    # the shared options before the command
    assert set(fish_complete("pdj -")) >= SHARED_NAMES - {"-o"}
    assert sorted(fish_complete("pdj -o ")) == sorted(FORMATS)
    assert set(fish_complete("pdj --profile ")) == PROFILES
    assert sorted(fish_complete("pdj --region eu-west-1 ")) == sorted(COMMANDS)
    assert fish_complete("pdj -o json --profile dev l") == ["list"]
    assert fish_complete("pdj --region eu-west-1 list --st") == ["--status"]
    assert sorted(fish_complete("pdj --profile list describe --o")) == ["--output"]


@needs_fish
@pytest.mark.parametrize("command", COMMANDS)
def test_fish_offers_every_option_once(command: str):
    assert set(fish_complete(f"pdj {command} -")) == option_names(command)
    if "--output" in option_names(command):
        offered = set(fish_complete(f"pdj {command} -o json -"))
        assert offered == option_names(command) - {"-o", "--output"}
