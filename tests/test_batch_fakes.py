"""The batch tests' fakes (tests/batch_fakes.py) page and count as the real service does."""

from __future__ import annotations

from collections import Counter

from tests.batch_fakes import FakeJob, FakeService, big_group, group_arn


def test_fake_lists_newest_first_one_request_a_page() -> None:
    from pdj_cli.arns import parse_dataset_group_arn

    service = FakeService(big_group(250))
    pages = list(service.iter_job_pages(parse_dataset_group_arn(group_arn())))
    assert [len(page) for page in pages] == [100, 100, 50]
    assert pages[0][0].name == "job-00000"
    assert pages[0][0].num_deleted is None  # a summary
    assert service.requests == Counter({"list": 3})


def test_fake_job_follows_its_timeline() -> None:
    job = FakeJob("a", timeline=(("PENDING", 0.0), ("IN_PROGRESS", 5.0), ("FAILED", 9.0)))
    assert [job.status_at(t) for t in (0, 5, 8.9, 9)] == [
        "PENDING",
        "IN_PROGRESS",
        "IN_PROGRESS",
        "FAILED",
    ]
    assert job.described(9).failure_reason == "The input file is empty."
