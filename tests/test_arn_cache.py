"""The ARN cache behind Tab: bounded, deduplicated, newest last, written atomically, never fatal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pdj_cli import arn_cache

JOB = "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/{}"
GROUP = "arn:aws:personalize:us-east-1:123456789012:dataset-group/shop"


@pytest.fixture(autouse=True)
def _fresh_cache():
    arn_cache.reset()
    yield
    arn_cache.reset()


def test_merged_keeps_each_arn_once_at_its_most_recent_place_newest_last():
    existing = [JOB.format("a"), JOB.format("b"), GROUP]
    assert arn_cache.merged(existing, [JOB.format("a"), JOB.format("c")]) == [
        JOB.format("b"),
        GROUP,
        JOB.format("a"),
        JOB.format("c"),
    ]


def test_merged_keeps_only_the_newest_thousand_and_drops_what_is_not_a_safe_arn():
    existing = [JOB.format(f"old-{i}") for i in range(1000)]
    unsafe = [JOB.format("x;rm -rf ~"), JOB.format("$(id)"), "", "  ", "arn:aws:s3:::bucket"]
    lines = arn_cache.merged(existing, [*unsafe, JOB.format("new")])
    assert len(lines) == arn_cache.MAX_ARNS == 1000
    assert lines[-1] == JOB.format("new")
    assert lines[0] == JOB.format("old-1")  # the oldest one went
    assert not any("$" in line or ";" in line for line in lines)


def test_cache_path_follows_xdg_and_pdj_no_cache(tmp_path: Path):
    home = str(tmp_path)
    assert arn_cache.cache_path({"HOME": home, "XDG_CACHE_HOME": "/c"}) == "/c/pdj/arns"
    default = os.path.join(home, ".cache", "pdj", "arns")
    assert arn_cache.cache_path({"HOME": home}) == default
    assert arn_cache.cache_path({"HOME": home, "XDG_CACHE_HOME": ""}) == default
    assert arn_cache.cache_path({"HOME": home, "XDG_CACHE_HOME": "rel/dir"}) == default
    assert arn_cache.cache_path({"HOME": home, "PDJ_NO_CACHE": "0"}) == default
    assert arn_cache.cache_path({"HOME": home, "PDJ_NO_CACHE": "1"}) is None


def test_documents_note_jobs_and_their_groups_not_error_records(tmp_path, monkeypatch):
    monkeypatch.delenv("PDJ_NO_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    job = {"dataDeletionJobArn": JOB.format("one"), "datasetGroupArn": GROUP, "status": "X"}
    error = {"dataDeletionJobArn": JOB.format("missing"), "error": {"code": "NotFound"}}
    arn_cache.note_document({"dataDeletionJob": job})
    arn_cache.note_document({"dataDeletionJobs": [dict(job, dataDeletionJobArn=JOB.format("two"))]})
    arn_cache.note_document({"dataDeletionJobs": [], "errors": [error]})
    arn_cache.note_document(error)
    arn_cache.note_document(dict(job, dataDeletionJobArn=JOB.format("three")))  # a jsonl line
    arn_cache.note_document("None")
    arn_cache.save()
    lines = (tmp_path / "pdj" / "arns").read_text().splitlines()
    assert lines == [JOB.format("one"), JOB.format("two"), JOB.format("three"), GROUP]
    assert [p.name for p in (tmp_path / "pdj").iterdir()] == ["arns"]  # no temp file left


def test_saving_into_an_unwritable_place_is_silent(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.delenv("PDJ_NO_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    arn_cache.note([JOB.format("one")])
    arn_cache.save()  # raises nothing
    assert blocker.read_text() == ""


def test_pdj_no_cache_notes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    arn_cache.note([JOB.format("one")])
    arn_cache.save()
    assert not (tmp_path / "pdj").exists()
