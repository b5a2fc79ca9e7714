"""`pdj create`'s names and checks on any input: a derived name always fits the model, the same
inputs always give the same name, and the checks answer with their own one-line error."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pdj_cli.arns import parse_dataset_group_arn
from pdj_cli.creating.naming import generated_job_name, request_job_name
from pdj_cli.creating.rules import create_rules
from pdj_cli.creating.validate import validate
from pdj_cli.errors import InvalidInputError

ANY_TEXT = st.text(st.characters(codec="utf-8"), min_size=1, max_size=300)
GROUP_NAMES = st.from_regex(r"[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}", fullmatch=True)
NAME = create_rules().job_name


def group(name: str) -> str:
    return f"arn:aws:personalize:us-east-1:123456789012:dataset-group/{name}"


@given(ANY_TEXT, GROUP_NAMES)
def test_a_derived_name_always_fits_the_model_and_is_the_same_every_time(request_id, name):
    arn = parse_dataset_group_arn(group(name))
    derived = request_job_name(request_id, arn)
    assert NAME.problem(derived) is None
    assert derived == request_job_name(request_id, arn)


@given(ANY_TEXT, ANY_TEXT, GROUP_NAMES)
def test_two_requests_never_share_a_name(first, second, name):
    arn = parse_dataset_group_arn(group(name))
    if first != second:
        assert request_job_name(first, arn) != request_job_name(second, arn)


@given(GROUP_NAMES)
def test_a_generated_name_always_fits_the_model(name):
    assert NAME.problem(generated_job_name(parse_dataset_group_arn(group(name)))) is None


@given(ANY_TEXT, ANY_TEXT, st.lists(ANY_TEXT, max_size=3))
def test_any_values_are_accepted_or_refused_in_one_line(location, request_id, tags):
    try:
        validate(
            groups=[group("shop")],
            data_location=location,
            role_arn="arn:aws:iam::123456789012:role/Deletion",
            job_name=None,
            request_id=request_id,
            tags=tags,
        )
    except InvalidInputError as error:
        assert error.message and "\n" not in error.message
