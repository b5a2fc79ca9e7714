import pytest

from pdj_cli.durations import parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90.0),
        ("90s", 90.0),
        ("1.5", 1.5),
        ("0.1", 0.1),
        (".5s", 0.5),
        ("5m", 300.0),
        ("2h", 7200.0),
        ("1h30m", 5400.0),
        ("1h30m15s", 5415.0),
        ("1d", 86400.0),
        ("250ms", 0.25),
        ("2H", 7200.0),
        (" 10s ", 10.0),
        ("0", 0.0),
    ],
)
def test_durations_people_type_are_understood(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "text", ["", "abc", "5x", "m5", "1h 30m", "-5", "5m-", "inf", "nan", "1e400"]
)
def test_anything_else_is_rejected_with_a_reason(text):
    with pytest.raises(ValueError, match=r"duration|negative"):
        parse_duration(text)
