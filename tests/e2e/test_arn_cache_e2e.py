"""The ARN cache as the installed pdj writes it: describe, list, batch and watch feed it."""

from __future__ import annotations

import pytest

from pdj_cli.emulator import DEMO_GROUP_ARN, MEDIA_GROUP_ARN, RETAIL_GROUP_ARN

pytestmark = pytest.mark.e2e

JOB = "arn:aws:personalize:{}:123456789012:data-deletion-job/{}"
OLD_JOB = JOB.format("us-east-1", "demo-erasure-2026-10")
FAILED_JOB = JOB.format("us-east-1", "retail-purge-access-denied")
MEDIA_JOB = JOB.format("eu-west-1", "media-erasure-2026-09")
MISSING_JOB = JOB.format("us-east-1", "never-created")


def cached(tmp_path) -> list[str]:
    return (tmp_path / "pdj" / "arns").read_text().splitlines()


def test_every_command_that_prints_jobs_feeds_the_cache(run_pdj, tmp_path):
    env = {"PDJ_NO_CACHE": None, "XDG_CACHE_HOME": str(tmp_path)}
    assert run_pdj("describe", OLD_JOB, env=env).returncode == 0
    assert cached(tmp_path) == [OLD_JOB, DEMO_GROUP_ARN]
    assert run_pdj("list", "--dataset-group-arn", MEDIA_GROUP_ARN, env=env).returncode == 0
    after_list = cached(tmp_path)
    assert MEDIA_JOB in after_list and after_list[-1] == MEDIA_GROUP_ARN
    assert run_pdj("watch", FAILED_JOB, "-o", "jsonl", env=env).returncode == 1
    assert cached(tmp_path)[-2:] == [FAILED_JOB, RETAIL_GROUP_ARN]
    batch = run_pdj("batch", OLD_JOB, MISSING_JOB, "-o", "text", env=env)
    assert batch.returncode == 4
    lines = cached(tmp_path)
    assert lines[-2:] == [OLD_JOB, DEMO_GROUP_ARN]  # seen again: now the most recent
    assert MISSING_JOB not in lines  # an error record is no job to offer
    assert len(lines) == len(set(lines))
    assert [p.name for p in (tmp_path / "pdj").iterdir()] == ["arns"]


def test_the_cache_keeps_the_newest_thousand(run_pdj, tmp_path):
    (tmp_path / "pdj").mkdir()
    old = [JOB.format("us-east-1", f"old-{i:04}") for i in range(1000)]
    (tmp_path / "pdj" / "arns").write_text("".join(line + "\n" for line in old))
    env = {"PDJ_NO_CACHE": None, "XDG_CACHE_HOME": str(tmp_path)}
    assert run_pdj("list", "--dataset-group-arn", MEDIA_GROUP_ARN, env=env).returncode == 0
    lines = cached(tmp_path)
    assert len(lines) == 1000
    assert lines[-1] == MEDIA_GROUP_ARN and MEDIA_JOB in lines
    assert lines[0] != old[0] and old[-1] in lines


def test_an_unwritable_cache_changes_nothing_a_command_prints(run_pdj, tmp_path):
    blocker = tmp_path / "a-file-where-the-cache-directory-would-be"
    blocker.write_text("")
    expected = run_pdj("describe", OLD_JOB, "-o", "text")  # the cache off (the tests' default)
    for env in (
        {"PDJ_NO_CACHE": None, "XDG_CACHE_HOME": str(blocker)},
        {"PDJ_NO_CACHE": None, "XDG_CACHE_HOME": "/proc/no-such-dir"},
    ):
        result = run_pdj("describe", OLD_JOB, "-o", "text", env=env)
        assert (result.returncode, result.stdout, result.stderr) == (0, expected.stdout, "")
        listed = run_pdj("list", "--dataset-group-arn", DEMO_GROUP_ARN, "-o", "jsonl", env=env)
        assert (listed.returncode, listed.stderr) == (0, "")
    assert blocker.read_text() == ""


def test_pdj_no_cache_writes_nothing(run_pdj, tmp_path):
    env = {"PDJ_NO_CACHE": "1", "XDG_CACHE_HOME": str(tmp_path)}
    assert run_pdj("describe", OLD_JOB, env=env).returncode == 0
    assert list(tmp_path.iterdir()) == []


def test_tab_offers_what_pdj_printed_before(run_pdj, tmp_path):
    from tests.test_completion import bash_complete

    env = {"XDG_CACHE_HOME": str(tmp_path)}
    assert bash_complete("pdj describe ", env=env) == []
    assert run_pdj("describe", FAILED_JOB, env={**env, "PDJ_NO_CACHE": None}).returncode == 0
    assert bash_complete("pdj watch ", env=env) == [FAILED_JOB]
    assert bash_complete("pdj list --dataset-group-arn ", env=env) == [RETAIL_GROUP_ARN]
