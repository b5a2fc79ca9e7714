"""`pdj create`'s inputs: the model's rules, the checks the model lacks, job names, requests."""

from __future__ import annotations

from datetime import datetime, timezone

import botocore.session
import pytest
from botocore.stub import Stubber

from pdj_cli.arns import parse_dataset_group_arn
from pdj_cli.creating.naming import MAX_NAME, generated_job_name, request_job_name, slug
from pdj_cli.creating.plan import plan
from pdj_cli.creating.rules import create_rules, model_regex
from pdj_cli.creating.validate import MAX_TAGS, REQUEST_TAG_KEY, validate
from pdj_cli.errors import InvalidInputError
from pdj_cli.service import JobService
from tests.factories import ACCOUNT, GROUP

ROLE = f"arn:aws:iam::{ACCOUNT}:role/PersonalizeDeletion"
LOCATION = "s3://erasures/PRIV-1234.csv"
OTHER_GROUP = f"arn:aws:personalize:eu-west-1:{ACCOUNT}:dataset-group/media"
NAME = create_rules().job_name


def checked(**changes):
    given = {
        "groups": [GROUP],
        "data_location": LOCATION,
        "role_arn": ROLE,
        "job_name": None,
        "request_id": None,
        "tags": [],
    }
    given.update(changes)
    return validate(**given)


# -- the rules come from botocore's model --------------------------------------------------------


def test_the_rules_are_the_models():
    model = botocore.session.get_session().get_service_model("personalize")
    shape = model.operation_model("CreateDataDeletionJob").input_shape
    rules = create_rules()
    assert rules.job_name.max_length == shape.members["jobName"].metadata["max"] == 63
    assert rules.job_name.pattern_text == shape.members["jobName"].metadata["pattern"]
    assert rules.data_location.max_length == 256
    assert rules.tag_key.max_length == 128
    assert rules.tag_value.max_length == 256
    assert rules.max_tags == shape.members["tags"].metadata["max"]


def test_the_models_unicode_classes_work_in_pythons_re():
    pattern = model_regex(r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$")
    assert pattern.fullmatch("Zoë 42:team/=+-@_.")
    assert not pattern.fullmatch("semi;colon")


# -- what is refused, naming the option ----------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"groups": []}, "--dataset-group-arn"),
        ({"groups": ["retail"]}, "--dataset-group-arn"),
        ({"groups": [GROUP.replace("dataset-group", "data-deletion-job")]}, "--dataset-group-arn"),
        ({"data_location": None}, "--data-location"),
        ({"data_location": "https://erasures/x.csv"}, "--data-location"),
        ({"data_location": "s3://Erasures/x.csv"}, "--data-location"),
        ({"data_location": "s3:///x.csv"}, "--data-location"),
        ({"data_location": "s3://erasures/" + "x" * 250}, "--data-location"),
        ({"data_location": "s3://erasures/a\nb.csv"}, "--data-location"),
        ({"role_arn": None}, "--role-arn"),
        ({"role_arn": f"arn:aws:iam::{ACCOUNT}:user/alice"}, "--role-arn"),
        ({"role_arn": "arn:aws:iam::12345:role/x"}, "--role-arn"),
        ({"role_arn": f"arn:aws-cn:iam::{ACCOUNT}:role/x"}, "partition"),
        ({"job_name": "-starts-with-a-dash"}, "--job-name"),
        ({"job_name": "has space"}, "--job-name"),
        ({"job_name": "x" * 64}, "--job-name"),
        ({"job_name": ""}, "--job-name"),
        ({"job_name": "a", "request_id": "R-1"}, "--request-id"),
        ({"job_name": "a", "groups": [GROUP, OTHER_GROUP]}, "--job-name"),
        ({"request_id": ""}, "--request-id"),
        ({"request_id": "   "}, "--request-id"),
        ({"request_id": "semi;colon"}, "--request-id"),
        ({"request_id": "x" * 257}, "--request-id"),
        ({"tags": ["no-equals"]}, "--tag"),
        ({"tags": ["=value"]}, "--tag"),
        ({"tags": ["aws:team=x"]}, "aws:"),
        ({"tags": ["AWS:team=x"]}, "aws:"),
        ({"tags": ["k" * 129 + "=v"]}, "--tag"),
        ({"tags": ["team=" + "v" * 257]}, "--tag"),
        ({"tags": ["team=a;b"]}, "--tag"),
        ({"tags": ["team=a\tb"]}, "--tag"),
        ({"tags": ["team=a", "team=b"]}, "twice"),
        ({"tags": [f"{REQUEST_TAG_KEY}=x"], "request_id": "R-1"}, REQUEST_TAG_KEY),
        ({"tags": [f"k{n}=v" for n in range(MAX_TAGS + 1)]}, "at most 50"),
        ({"tags": [f"k{n}=v" for n in range(MAX_TAGS)], "request_id": "R-1"}, "--request-id"),
    ],
)
def test_a_bad_value_is_refused_naming_it(changes, named):
    with pytest.raises(InvalidInputError) as caught:
        checked(**changes)
    assert named in caught.value.message
    assert caught.value.exit_code == 2


def test_good_inputs_pass_with_the_request_tag_last():
    inputs = checked(tags=["team=privacy", "empty="], request_id="PRIV-1234")
    assert [group.text for group in inputs.groups] == [GROUP]
    assert inputs.tags == (("team", "privacy"), ("empty", ""), (REQUEST_TAG_KEY, "PRIV-1234"))


@pytest.mark.parametrize(
    "location", ["s3://erasures/PRIV-1.csv", "s3://erasures/folder/", "s3://my.bucket-1"]
)
def test_s3_files_folders_and_buckets_are_data_locations(location):
    assert checked(data_location=location).data_location == location


def test_a_group_given_twice_gets_one_job():
    inputs = checked(groups=[GROUP, OTHER_GROUP, GROUP])
    assert [group.text for group in inputs.groups] == [GROUP, OTHER_GROUP]


# -- job names -----------------------------------------------------------------------------------

SHOP = parse_dataset_group_arn(GROUP)
MEDIA = parse_dataset_group_arn(OTHER_GROUP)


def test_a_request_names_its_job_deterministically():
    name = request_job_name("PRIV-1234", SHOP)
    assert name == request_job_name("PRIV-1234", SHOP)
    assert name.startswith("PRIV-1234-shop-")
    assert len(name.rsplit("-", 1)[1]) == 8
    assert NAME.problem(name) is None


def test_other_requests_or_groups_get_other_names():
    assert request_job_name("PRIV-1234", SHOP) != request_job_name("PRIV-1235", SHOP)
    assert request_job_name("PRIV-1234", SHOP) != request_job_name("PRIV-1234", MEDIA)


def test_long_requests_cut_to_the_same_text_still_differ():
    long_group = parse_dataset_group_arn(GROUP.replace("/shop", "/" + "g" * 63))
    first = request_job_name("R" * 80 + "1", long_group)
    second = request_job_name("R" * 80 + "2", long_group)
    assert first != second
    assert len(first) <= MAX_NAME and len(second) <= MAX_NAME
    assert NAME.problem(first) is None and NAME.problem(second) is None


@pytest.mark.parametrize("request_id", ["#42", "ticket 42 / 2026", "__x__", "é", "-", "a" * 200])
def test_any_request_id_gives_a_valid_name(request_id):
    assert NAME.problem(request_job_name(request_id, SHOP)) is None


def test_slug_keeps_what_a_name_may_hold():
    assert slug("ticket 42 / 2026") == "ticket-42-2026"
    assert slug("_x_") == "x"


def test_a_generated_name_has_the_group_the_time_and_a_token():
    now = datetime(2026, 12, 2, 4, 5, 6, tzinfo=timezone.utc)
    assert generated_job_name(SHOP, now, "ab12") == "pdj-shop-20261202T040506Z-ab12"
    long_group = parse_dataset_group_arn(GROUP.replace("/shop", "/" + "g" * 63))
    assert NAME.problem(generated_job_name(long_group, now)) is None
    assert generated_job_name(SHOP, now) != generated_job_name(SHOP, now)


# -- the requests built, as the service model and botocore take them ---------------------------


def test_the_requests_are_what_botocore_sends():
    inputs = checked(groups=[GROUP, OTHER_GROUP], request_id="PRIV-1234", tags=["team=privacy"])
    requests = plan(inputs)
    assert [request.group.region for request in requests] == ["us-east-1", "eu-west-1"]
    service = JobService(session=botocore.session.Session())
    for request in requests:
        expected = {
            "jobName": request_job_name("PRIV-1234", request.group),
            "datasetGroupArn": request.group.text,
            "dataSource": {"dataLocation": LOCATION},
            "roleArn": ROLE,
            "tags": [
                {"tagKey": "team", "tagValue": "privacy"},
                {"tagKey": REQUEST_TAG_KEY, "tagValue": "PRIV-1234"},
            ],
        }
        with Stubber(service.client_for(request.group.region)) as stubber:
            stubber.add_response(
                "create_data_deletion_job",
                {"dataDeletionJobArn": request.job_arn},
                expected_params=expected,
            )
            assert service.create_job(request.params(), request.group) == request.job_arn
            stubber.assert_no_pending_responses()


def test_a_request_without_tags_sends_none_and_a_job_name_is_used_as_given():
    (request,) = plan(checked(job_name="erase-42"))
    assert request.params() == {
        "jobName": "erase-42",
        "datasetGroupArn": GROUP,
        "dataSource": {"dataLocation": LOCATION},
        "roleArn": ROLE,
    }
    assert request.job_arn == f"arn:aws:personalize:us-east-1:{ACCOUNT}:data-deletion-job/erase-42"


def test_without_a_name_or_request_each_job_gets_a_generated_name():
    now = datetime(2026, 12, 2, 4, 5, 6, tzinfo=timezone.utc)
    names = [r.job_name for r in plan(checked(groups=[GROUP, OTHER_GROUP]), now=now, token="00ff")]
    assert names == ["pdj-shop-20261202T040506Z-00ff", "pdj-media-20261202T040506Z-00ff"]
