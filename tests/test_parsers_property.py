"""The ARN and input-line parsers on any text: their own error or an answer, never anything else;
every valid ARN reads back as itself."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pdj_cli.arns import ResourceArn, parse_dataset_group_arn, parse_job_arn
from pdj_cli.batch.inputs import classify
from pdj_cli.batch.items import InvalidLine, JobInput, Origin
from pdj_cli.errors import InvalidArnError

ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)
NAMES = st.from_regex(r"[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}", fullmatch=True)
REGIONS = st.from_regex(r"[a-z]{2}(-[a-z]{1,12}){1,2}-[0-9]{1,2}", fullmatch=True)
ACCOUNTS = st.from_regex(r"[0-9]{12}", fullmatch=True)
PARTITIONS = st.sampled_from(["aws", "aws-cn", "aws-us-gov", "aws-iso-b"])


@given(ANY_TEXT)
def test_any_text_is_an_arn_or_an_invalid_arn_error(text):
    for parse in (parse_job_arn, parse_dataset_group_arn):
        try:
            arn = parse(text)
        except InvalidArnError as error:
            assert error.message.startswith("invalid ")
            assert "\n" not in error.message  # one line, whatever the input held
        else:
            assert isinstance(arn, ResourceArn) and arn.text == text


@given(PARTITIONS, REGIONS, ACCOUNTS, NAMES)
def test_valid_job_arns_read_back_as_themselves(partition, region, account, name):
    text = f"arn:{partition}:personalize:{region}:{account}:data-deletion-job/{name}"
    arn = parse_job_arn(text)
    assert (arn.text, arn.partition, arn.region, arn.account, arn.name) == (
        text,
        partition,
        region,
        account,
        name,
    )
    assert str(arn) == text


@given(ANY_TEXT)
def test_any_input_line_is_skipped_a_job_or_an_invalid_line(line):
    item = classify(line, Origin("-", 1))
    assert item is None or isinstance(item, (JobInput, InvalidLine))
    if isinstance(item, InvalidLine):
        assert item.error.message and "\n" not in item.error.message
