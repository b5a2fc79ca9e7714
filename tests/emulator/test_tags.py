"""Tags on jobs and dataset groups: TagResource, UntagResource, ListTagsForResource."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from pdj_cli.emulator import DEMO_GROUP_ARN, DEMO_JOB_ARN, FRESH_GROUP_ARN, MEDIA_GROUP_ARN

from .helpers import raw_call, shape_problems

ROLE = "arn:aws:iam::123456789012:role/PersonalizeDeleter"
MEDIA_JOB_ARN = "arn:aws:personalize:eu-west-1:123456789012:data-deletion-job/media-long-reindex"


def tags(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"tagKey": key, "tagValue": value} for key, value in pairs]


def listed(client, arn: str) -> list[dict[str, str]]:
    return client.list_tags_for_resource(resourceArn=arn)["tags"]


def error_of(call) -> dict:
    with pytest.raises(ClientError) as excinfo:
        call()
    return excinfo.value.response["Error"]


def test_a_scenario_job_starts_untagged_and_takes_tags(client):
    assert listed(client, DEMO_JOB_ARN) == []
    client.tag_resource(resourceArn=DEMO_JOB_ARN, tags=tags(("team", "privacy"), ("ticket", "1")))
    assert listed(client, DEMO_JOB_ARN) == tags(("team", "privacy"), ("ticket", "1"))


def test_tagging_a_key_again_replaces_its_value(client):
    client.tag_resource(resourceArn=DEMO_JOB_ARN, tags=tags(("team", "privacy"), ("a", "1")))
    client.tag_resource(resourceArn=DEMO_JOB_ARN, tags=tags(("team", "legal"), ("b", "2")))
    assert listed(client, DEMO_JOB_ARN) == tags(("team", "legal"), ("a", "1"), ("b", "2"))


def test_untag_removes_the_keys_given_and_ignores_others(client):
    client.tag_resource(resourceArn=DEMO_JOB_ARN, tags=tags(("a", "1"), ("b", "2"), ("c", "3")))
    client.untag_resource(resourceArn=DEMO_JOB_ARN, tagKeys=["a", "c", "never-there"])
    assert listed(client, DEMO_JOB_ARN) == tags(("b", "2"))
    client.untag_resource(resourceArn=DEMO_JOB_ARN, tagKeys=[])
    assert listed(client, DEMO_JOB_ARN) == tags(("b", "2"))


def test_tags_of_a_created_job(client):
    arn = client.create_data_deletion_job(
        jobName="tagged-at-create",
        datasetGroupArn=FRESH_GROUP_ARN,
        dataSource={"dataLocation": "s3://bucket/users.csv"},
        roleArn=ROLE,
        tags=tags(("request", "PRIV-9")),
    )["dataDeletionJobArn"]
    client.tag_resource(resourceArn=arn, tags=tags(("stage", "sent")))
    assert listed(client, arn) == tags(("request", "PRIV-9"), ("stage", "sent"))


def test_known_dataset_groups_take_tags(client):
    client.tag_resource(resourceArn=DEMO_GROUP_ARN, tags=tags(("owner", "shop")))
    assert listed(client, DEMO_GROUP_ARN) == tags(("owner", "shop"))
    assert listed(client, FRESH_GROUP_ARN) == []  # declared by the scenario, no jobs


@pytest.mark.parametrize(
    "arn",
    [
        DEMO_JOB_ARN + "-nope",
        "arn:aws:personalize:us-east-1:123456789012:dataset-group/never-made",
        MEDIA_JOB_ARN,  # exists in eu-west-1, asked for in us-east-1
        MEDIA_GROUP_ARN,
        "arn:aws:personalize:us-east-1:123456789012:solution/not-served",
    ],
)
def test_unknown_resources_are_not_found(client, arn):
    for call in (
        lambda: client.list_tags_for_resource(resourceArn=arn),
        lambda: client.tag_resource(resourceArn=arn, tags=tags(("k", "v"))),
        lambda: client.untag_resource(resourceArn=arn, tagKeys=["k"]),
    ):
        error = error_of(call)
        assert error["Code"] == "ResourceNotFoundException"
        assert error["Message"] == f"Resource Arn {arn} does not exist."


def test_resources_of_the_requests_region(emu, make_client):
    west = make_client(emu, "eu-west-1")
    west.tag_resource(resourceArn=MEDIA_JOB_ARN, tags=tags(("k", "v")))
    assert listed(west, MEDIA_JOB_ARN) == tags(("k", "v"))
    assert listed(west, MEDIA_GROUP_ARN) == []


def test_a_job_created_later_is_not_found_until_then(emu, client, clock):
    arn = emu.add_job(job_name="later", dataset_group_arn=DEMO_GROUP_ARN, created_at=10)
    assert error_of(lambda: listed(client, arn))["Code"] == "ResourceNotFoundException"
    clock.advance(10)
    assert listed(client, arn) == []


def test_at_most_fifty_tags_a_resource(client):
    client.tag_resource(resourceArn=DEMO_JOB_ARN, tags=tags(*((f"k{i}", "v") for i in range(40))))
    eleven = tags(*((f"n{i}", "v") for i in range(11)))
    error = error_of(lambda: client.tag_resource(resourceArn=DEMO_JOB_ARN, tags=eleven))
    assert error["Code"] == "TooManyTagsException"
    assert "51" in error["Message"]
    assert len(listed(client, DEMO_JOB_ARN)) == 40  # unchanged

    # Replacing values of keys it has does not add tags: 40 + 10 new = 50.
    client.tag_resource(
        resourceArn=DEMO_JOB_ARN,
        tags=tags(*((f"k{i}", "w") for i in range(40)), *((f"n{i}", "v") for i in range(10))),
    )
    assert len(listed(client, DEMO_JOB_ARN)) == 50


def test_untag_of_more_than_fifty_keys_is_too_many(client):
    error = error_of(
        lambda: client.untag_resource(
            resourceArn=DEMO_JOB_ARN, tagKeys=[f"k{i}" for i in range(51)]
        )
    )
    assert error["Code"] == "TooManyTagKeysException"
    client.untag_resource(resourceArn=DEMO_JOB_ARN, tagKeys=[f"k{i}" for i in range(50)])


@pytest.mark.parametrize(
    ("operation", "params", "where"),
    [
        ("TagResource", {"resourceArn": DEMO_JOB_ARN}, "tags"),
        ("TagResource", {"tags": []}, "resourceArn"),
        ("TagResource", {"resourceArn": "job", "tags": []}, "resourceArn"),
        (
            "TagResource",
            {"resourceArn": DEMO_JOB_ARN, "tags": tags(("", "v"))},
            "tags.1.member.tagKey",
        ),
        (
            "TagResource",
            {"resourceArn": DEMO_JOB_ARN, "tags": tags(("ok", "v"), ("bad*key", "v"))},
            "tags.2.member.tagKey",
        ),
        (
            "TagResource",
            {"resourceArn": DEMO_JOB_ARN, "tags": tags(("aws:owner", "v"))},
            "tags.1.member.tagKey",
        ),
        (
            "TagResource",
            {"resourceArn": DEMO_JOB_ARN, "tags": tags(("Aws:owner", "v"))},
            "tags.1.member.tagKey",
        ),
        (
            "TagResource",
            {"resourceArn": DEMO_JOB_ARN, "tags": tags(("k", "aws:v"))},
            "tags.1.member.tagValue",
        ),
        (
            "TagResource",
            {"resourceArn": DEMO_JOB_ARN, "tags": tags(("k", "1"), ("k", "2"))},
            "tags.2.member.tagKey",
        ),
        (
            "TagResource",
            {"resourceArn": DEMO_JOB_ARN, "tags": tags(*((f"k{i}", "v") for i in range(201)))},
            "tags",
        ),
        ("UntagResource", {"resourceArn": DEMO_JOB_ARN}, "tagKeys"),
        ("UntagResource", {"resourceArn": DEMO_JOB_ARN, "tagKeys": "k"}, "tagKeys"),
        ("UntagResource", {"resourceArn": DEMO_JOB_ARN, "tagKeys": [""]}, "tagKeys.1.member"),
        (
            "UntagResource",
            {"resourceArn": DEMO_JOB_ARN, "tagKeys": ["k" * 129]},
            "tagKeys.1.member",
        ),
        (
            "UntagResource",
            {"resourceArn": DEMO_JOB_ARN, "tagKeys": ["a", None]},
            "tagKeys.2.member",
        ),
        ("UntagResource", {"resourceArn": DEMO_JOB_ARN, "tagKeys": ["aws:x"]}, "tagKeys.1.member"),
        ("UntagResource", {"resourceArn": DEMO_JOB_ARN, "tagKeys": ["a#b"]}, "tagKeys.1.member"),
        (
            "UntagResource",
            {"resourceArn": DEMO_JOB_ARN, "tagKeys": [f"k{i}" for i in range(201)]},
            "tagKeys",
        ),
        ("ListTagsForResource", {}, "resourceArn"),
        ("ListTagsForResource", {"resourceArn": "x" * 257}, "resourceArn"),
    ],
)
def test_invalid_tag_input(emu, operation, params, where):
    response = raw_call(emu, operation, params)
    assert response.status == 400
    assert response.json["__type"] == "InvalidInputException"
    assert f"at '{where}'" in response.json["message"]
    assert "bad*key" not in response.json["message"]  # tags are sensitive: never echoed


def test_letters_of_any_script_and_spaces_are_tag_text(client):
    client.tag_resource(resourceArn=DEMO_JOB_ARN, tags=tags(("Équipe données", "vie privée @ 1")))
    assert listed(client, DEMO_JOB_ARN) == tags(("Équipe données", "vie privée @ 1"))


def test_the_wire_format_matches_the_model(emu, service_model):
    raw_call(
        emu,
        "TagResource",
        {"resourceArn": DEMO_JOB_ARN, "tags": tags(("team", "privacy"))},
    )
    for operation, params in (
        ("TagResource", {"resourceArn": DEMO_JOB_ARN, "tags": []}),
        ("UntagResource", {"resourceArn": DEMO_JOB_ARN, "tagKeys": ["nothing"]}),
        ("ListTagsForResource", {"resourceArn": DEMO_JOB_ARN}),
    ):
        response = raw_call(emu, operation, params)
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/x-amz-json-1.1"
        output = service_model.operation_model(operation).output_shape
        assert shape_problems(output, response.json) == []
    assert response.json == {"tags": [{"tagKey": "team", "tagValue": "privacy"}]}
    assert [entry["operation"] for entry in emu.requests][-3:] == [
        "TagResource",
        "UntagResource",
        "ListTagsForResource",
    ]
