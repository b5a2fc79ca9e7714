"""Tab completes the job and dataset-group ARNs of pdj's ARN cache, in bash, zsh and fish,
with the shells reading the file themselves (pdj_cli/arn_cache.py writes it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_completion import (
    FISH,
    ZSH,
    ZshSession,
    bash_complete,
    fish_complete,
    interactive_bash,  # noqa: F401 - a fixture
    line_after_tab,
    needs_fish,
    needs_zsh,
)

US_JOB = "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/erase-42"
EU_JOB = "arn:aws:personalize:eu-west-1:123456789012:data-deletion-job/erase-eu-7"
GROUP = "arn:aws:personalize:us-east-1:123456789012:dataset-group/shop"
JOBS = [US_JOB, EU_JOB]


def write_cache(base: Path, lines: list[str]) -> Path:
    (base / "pdj").mkdir(parents=True, exist_ok=True)
    path = base / "pdj" / "arns"
    path.write_text("".join(line + "\n" for line in lines))
    return path


@pytest.fixture
def cache(tmp_path: Path) -> dict[str, str]:
    """A cache with two jobs and a group (and a line that is no ARN); the env that finds it."""
    write_cache(tmp_path, [US_JOB, "not an arn", GROUP, EU_JOB])
    return {"XDG_CACHE_HOME": str(tmp_path)}


def test_bash_offers_cached_job_arns_for_job_arguments(cache):
    assert sorted(bash_complete("pdj describe ", env=cache)) == sorted(JOBS)
    assert sorted(bash_complete("pdj watch --interval 1m ", env=cache)) == sorted(JOBS)
    assert sorted(bash_complete(f"pdj batch {US_JOB} ", env=cache)) == sorted(JOBS)


def test_bash_offers_cached_group_arns_for_dataset_group_options(cache):
    assert bash_complete("pdj list --dataset-group-arn ", env=cache) == [GROUP]
    # readline replaces only what follows the last ':' (or '='): the reply is that part
    assert bash_complete("pdj batch --dataset-group-arn=", env=cache) == [GROUP]
    assert bash_complete("pdj list --dataset-group-arn arn:aws:personalize:us", env=cache) == [
        "us-east-1:123456789012:dataset-group/shop"
    ]


def test_bash_matches_the_arn_typed_so_far_across_colons(cache):
    assert bash_complete("pdj describe arn:aws:personalize:eu", env=cache) == [
        "eu-west-1:123456789012:data-deletion-job/erase-eu-7"
    ]
    assert bash_complete("pdj describe arn:aws:personalize:eu", breaks=" \t\n", env=cache) == [
        EU_JOB
    ]
    assert bash_complete("pdj describe arn:aws:personalize:ap", env=cache) == []


def test_bash_reads_the_cache_under_home_without_xdg_cache_home(tmp_path: Path):
    write_cache(tmp_path / ".cache", [US_JOB])
    for xdg in ("", "relative/dir"):  # unset, empty or relative: ~/.cache, as XDG says
        env = {"HOME": str(tmp_path), "XDG_CACHE_HOME": xdg}
        assert bash_complete("pdj describe ", env=env) == [US_JOB]


def test_no_cache_file_offers_nothing(tmp_path: Path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "none")}
    assert bash_complete("pdj describe ", env=env) == []
    if FISH:
        assert fish_complete("pdj describe ", env=env) == []


def test_bash_interactive_tab_inserts_the_whole_cached_arn(interactive_bash, tmp_path):  # noqa: F811
    write_cache(tmp_path, [US_JOB, EU_JOB])
    child = interactive_bash
    child.sendline(f"export XDG_CACHE_HOME={tmp_path}; echo SET")
    child.expect("SET\r\n")
    assert line_after_tab(child, "pdj describe arn:aws:personalize:eu", "L1") == (
        f"pdj describe {EU_JOB}"
    )
    assert line_after_tab(child, "pdj watch arn:aws:personalize:us-east-1:1", "L2") == (
        f"pdj watch {US_JOB}"
    )


@needs_zsh
def test_zsh_offers_cached_arns(cache):
    with ZshSession(env=cache) as zsh:
        assert sorted(zsh.complete("pdj describe ")) == sorted(JOBS)
        assert sorted(zsh.complete(f"pdj batch {US_JOB} ")) == sorted(JOBS)
        assert zsh.complete("pdj list --dataset-group-arn ") == [GROUP]
        assert zsh.complete("pdj batch --dataset-group-arn=") == [GROUP]
        assert zsh.complete("pdj watch arn:aws:personalize:eu") == [EU_JOB]


@needs_fish
def test_fish_offers_cached_arns(cache):
    assert sorted(fish_complete("pdj describe ", env=cache)) == sorted(JOBS)
    assert sorted(fish_complete(f"pdj batch {US_JOB} ", env=cache)) == sorted(JOBS)
    assert fish_complete("pdj watch arn:aws:personalize:eu", env=cache) == [EU_JOB]
    assert fish_complete("pdj list --dataset-group-arn ", env=cache) == [GROUP]
    assert fish_complete("pdj batch --dataset-group-arn=", env=cache) == [
        f"--dataset-group-arn={GROUP}"
    ]


def test_tab_reads_the_cache_without_running_any_program(tmp_path: Path, cache):
    """Every external program a script could run is a stub that records being called."""
    calls = tmp_path / "calls"
    stubs = tmp_path / "bin"
    stubs.mkdir()
    for name in ("python", "python3", "pdj", "sed", "awk", "cat", "sort", "grep", "head", "tail"):
        stub = stubs / name
        stub.write_text(f'#!/bin/sh\necho "{name} $*" >> "{calls}"\n')
        stub.chmod(0o755)
    env = {**cache, "PATH": str(stubs)}
    assert sorted(bash_complete("pdj describe ", env=env)) == sorted(JOBS)
    if FISH:
        assert fish_complete("pdj list --dataset-group-arn ", env=env) == [GROUP]
    if ZSH:
        with ZshSession(env=env) as zsh:
            assert sorted(zsh.complete("pdj watch ")) == sorted(JOBS)
    assert not calls.exists(), calls.read_text()
