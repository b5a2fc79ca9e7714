"""ListDataDeletionJobs: order, paging, tokens, filters, validation."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from pdj_cli.emulator import BIG_GROUP_ARN, DEMO_GROUP_ARN, MEDIA_GROUP_ARN, RETAIL_GROUP_ARN

from .helpers import raw_call


def all_pages(client, **params) -> list[list[dict]]:
    pages = []
    while True:
        response = client.list_data_deletion_jobs(**params)
        pages.append(response["dataDeletionJobs"])
        if "nextToken" not in response:
            return pages
        params["nextToken"] = response["nextToken"]


def test_big_group_needs_three_pages_of_the_default_size(client):
    pages = all_pages(client, datasetGroupArn=BIG_GROUP_ARN)

    assert [len(page) for page in pages] == [100, 100, 50]
    jobs = [job for page in pages for job in page]
    assert len({job["dataDeletionJobArn"] for job in jobs}) == 250
    created = [job["creationDateTime"] for job in jobs]
    assert created == sorted(created, reverse=True)  # newest first
    assert jobs[0]["jobName"] == "catalog-purge-0001"


def test_summaries_carry_only_summary_fields(client):
    jobs = client.list_data_deletion_jobs(datasetGroupArn=RETAIL_GROUP_ARN)["dataDeletionJobs"]
    failed = [job for job in jobs if job["status"] == "FAILED"]
    assert failed and all("failureReason" in job for job in failed)
    assert all("numDeleted" not in job and "roleArn" not in job for job in jobs)


def test_max_results_one_pages_one_job_at_a_time(client):
    pages = all_pages(client, datasetGroupArn=DEMO_GROUP_ARN, maxResults=1)
    assert [len(page) for page in pages] == [1, 1, 1]
    assert [page[0]["jobName"] for page in pages] == [
        "demo-bad-input-file",
        "demo-gdpr-erasure",
        "demo-erasure-2026-10",
    ]


def test_max_results_100_is_accepted(client):
    response = client.list_data_deletion_jobs(datasetGroupArn=BIG_GROUP_ARN, maxResults=100)
    assert len(response["dataDeletionJobs"]) == 100


def test_max_results_zero_is_refused_by_botocore_itself(client):
    with pytest.raises(ParamValidationError):
        client.list_data_deletion_jobs(maxResults=0)


def test_max_results_101_is_refused_by_the_server(client):
    with pytest.raises(ClientError) as excinfo:
        client.list_data_deletion_jobs(maxResults=101)
    assert excinfo.value.response["Error"]["Code"] == "InvalidInputException"


@pytest.mark.parametrize("value", [0, 101, -1, "10", True, 1.5])
def test_server_validates_max_results(emu, value):
    response = raw_call(emu, "ListDataDeletionJobs", {"maxResults": value})
    assert response.status == 400
    assert response.json["__type"] == "InvalidInputException"
    assert "maxResults" in response.json["message"]


def test_region_lists_only_its_own_jobs(emu, make_client):
    us_jobs = [job for page in all_pages(make_client(emu, "us-east-1")) for job in page]
    eu_jobs = [job for page in all_pages(make_client(emu, "eu-west-1")) for job in page]

    assert all(":us-east-1:" in job["dataDeletionJobArn"] for job in us_jobs)
    assert {job["datasetGroupArn"] for job in eu_jobs} == {MEDIA_GROUP_ARN}
    assert len(us_jobs) > 250


def test_group_of_another_region_lists_nothing(emu, make_client):
    response = make_client(emu, "eu-west-1").list_data_deletion_jobs(datasetGroupArn=DEMO_GROUP_ARN)
    assert response["dataDeletionJobs"] == []


def test_unknown_group_lists_nothing(client):
    group = "arn:aws:personalize:us-east-1:123456789012:dataset-group/empty"
    response = client.list_data_deletion_jobs(datasetGroupArn=group)
    assert response["dataDeletionJobs"] == []
    assert "nextToken" not in response


def test_malformed_group_arn_is_invalid_input(client):
    with pytest.raises(ClientError) as excinfo:
        client.list_data_deletion_jobs(datasetGroupArn="demo")
    assert excinfo.value.response["Error"]["Code"] == "InvalidInputException"


@pytest.mark.parametrize("token", ["garbage", "a.b", "", "x" * 1500])
def test_garbage_token_is_invalid_next_token(client, token):
    with pytest.raises(ClientError) as excinfo:
        client.list_data_deletion_jobs(nextToken=token)
    assert excinfo.value.response["Error"]["Code"] == "InvalidNextTokenException"


def test_tampered_token_is_invalid_next_token(client):
    token = client.list_data_deletion_jobs(maxResults=1)["nextToken"]
    payload, signature = token.split(".")
    with pytest.raises(ClientError) as excinfo:
        client.list_data_deletion_jobs(nextToken=payload[:-2] + "AA." + signature, maxResults=1)
    assert excinfo.value.response["Error"]["Code"] == "InvalidNextTokenException"


def test_token_of_another_filter_is_invalid(client):
    token = client.list_data_deletion_jobs(datasetGroupArn=BIG_GROUP_ARN)["nextToken"]
    for other in ({"datasetGroupArn": RETAIL_GROUP_ARN}, {}):
        with pytest.raises(ClientError) as excinfo:
            client.list_data_deletion_jobs(nextToken=token, **other)
        assert excinfo.value.response["Error"]["Code"] == "InvalidNextTokenException"


def test_token_of_another_region_is_invalid(emu, make_client):
    token = make_client(emu, "us-east-1").list_data_deletion_jobs(maxResults=1)["nextToken"]
    with pytest.raises(ClientError) as excinfo:
        make_client(emu, "eu-west-1").list_data_deletion_jobs(nextToken=token)
    assert excinfo.value.response["Error"]["Code"] == "InvalidNextTokenException"


def test_too_long_token_is_invalid_input(emu):
    response = raw_call(emu, "ListDataDeletionJobs", {"nextToken": "x" * 1501})
    assert response.json["__type"] == "InvalidInputException"


def test_jobs_created_while_paging_do_not_repeat_jobs(client):
    first = client.list_data_deletion_jobs(datasetGroupArn=DEMO_GROUP_ARN, maxResults=2)
    client.create_data_deletion_job(
        jobName="made-while-paging",
        datasetGroupArn=DEMO_GROUP_ARN,
        dataSource={"dataLocation": "s3://bucket/users.csv"},
        roleArn="arn:aws:iam::123456789012:role/Deleter",
    )
    second = client.list_data_deletion_jobs(
        datasetGroupArn=DEMO_GROUP_ARN, maxResults=2, nextToken=first["nextToken"]
    )
    seen = [job["jobName"] for job in first["dataDeletionJobs"] + second["dataDeletionJobs"]]
    assert seen == ["demo-bad-input-file", "demo-gdpr-erasure", "demo-erasure-2026-10"]
