import pytest

from pdj_cli.arns import MAX_ARN_LENGTH, parse_dataset_group_arn, parse_job_arn
from pdj_cli.errors import ExitCode, InvalidArnError

JOB = "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/erase-42"


@pytest.mark.parametrize(
    ("text", "partition", "region", "name"),
    [
        (JOB, "aws", "us-east-1", "erase-42"),
        (
            "arn:aws-cn:personalize:cn-north-1:123456789012:data-deletion-job/x_1",
            "aws-cn",
            "cn-north-1",
            "x_1",
        ),
        (
            "arn:aws-us-gov:personalize:us-gov-west-1:123456789012:data-deletion-job/A",
            "aws-us-gov",
            "us-gov-west-1",
            "A",
        ),
    ],
)
def test_valid_job_arns_are_parsed_into_their_parts(text, partition, region, name):
    arn = parse_job_arn(text)
    assert (arn.partition, arn.region, arn.account, arn.name) == (
        partition,
        region,
        "123456789012",
        name,
    )
    assert str(arn) == text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "it is empty"),
        (" " + JOB, "whitespace"),
        (JOB + "\n", "a line break"),
        (JOB[:30] + "\n" + JOB[30:], "a line break"),
        (JOB + "\x00", "a control character"),
        (JOB + "\t", "whitespace"),
        (JOB[:30] + "\u00a0" + JOB[30:], "whitespace"),  # a no-break space, pasted from a page
        (JOB + "\u3000", "whitespace"),
        ("erase-42", "does not start with 'arn:'"),
        ("arn:aws:personalize:us-east-1:1234", "expected arn:PARTITION"),
        ("arn:aws:personalize:us-east-1:123456789012:data-deletion-job/", "name after the slash"),
        ("arn:aws:personalize:us-east-1:123456789012:data-deletion-job", "name after the slash"),
        ("arn:aws:personalize:us-east-1:123456789012:solution/x", "solution ARN"),
        ("arn:nope:personalize:us-east-1:123456789012:data-deletion-job/x", "unknown partition"),
        ("arn:aws:personalize:useast1:123456789012:data-deletion-job/x", "not a region name"),
        ("arn:aws:personalize:us-east-1:12345:data-deletion-job/x", "12-digit account"),
        ("arn:aws:personalize:us-east-1:123456789012:data-deletion-job/-x", "not a valid name"),
        ("arn:aws:personalize:us-east-1:123456789012:data-deletion-job/" + "a" * 64, "valid name"),
        ("arn:aws:s3:::my-bucket/key", "the service is 's3'"),
        ("arn:aws:personalize:us-east-1:123456789012:dataset-group/shop", "dataset-group ARN"),
        (JOB + "x" * (MAX_ARN_LENGTH - len(JOB) + 1), f"at most {MAX_ARN_LENGTH}"),
    ],
)
def test_invalid_job_arns_say_why_in_one_line(text, reason):
    with pytest.raises(InvalidArnError) as caught:
        parse_job_arn(text)
    error = caught.value
    assert reason in error.message
    assert "\n" not in error.message
    assert error.exit_code == ExitCode.USAGE
    assert error.code == "InvalidArn"


def test_a_dataset_group_arn_given_as_a_job_hints_at_list():
    group = "arn:aws:personalize:us-east-1:123456789012:dataset-group/shop"
    with pytest.raises(InvalidArnError) as caught:
        parse_job_arn(group)
    assert (
        caught.value.hint == f"that is a dataset group: try `pdj list --dataset-group-arn {group}`"
    )


def test_an_s3_arn_hints_that_a_personalize_arn_is_needed():
    with pytest.raises(InvalidArnError) as caught:
        parse_job_arn("arn:aws:s3:::my-bucket")
    assert "not of Amazon Personalize" in caught.value.hint


def test_a_bare_job_name_hints_at_the_full_arn():
    with pytest.raises(InvalidArnError) as caught:
        parse_job_arn("erase-42")
    assert "data-deletion-job/erase-42" in caught.value.hint


def test_a_very_long_input_is_shortened_in_the_message():
    with pytest.raises(InvalidArnError) as caught:
        parse_job_arn("x" * 5000)
    assert len(caught.value.message) < 200


def test_dataset_group_arns_are_checked_the_same_way():
    arn = parse_dataset_group_arn("arn:aws:personalize:eu-west-1:123456789012:dataset-group/shop")
    assert (arn.region, arn.name) == ("eu-west-1", "shop")
    with pytest.raises(InvalidArnError) as caught:
        parse_dataset_group_arn(JOB)
    assert caught.value.hint == f"that is a data deletion job: try `pdj describe {JOB}`"


@pytest.mark.parametrize(
    ("parse", "listed_by"),
    [
        (parse_job_arn, "`pdj list` shows them"),
        (parse_dataset_group_arn, "`aws personalize list-dataset-groups` shows them"),
    ],
)
def test_the_hint_for_a_bare_name_names_what_lists_that_kind_of_arn(parse, listed_by):
    with pytest.raises(InvalidArnError) as error:
        parse("shop")
    assert listed_by in (error.value.hint or "")
