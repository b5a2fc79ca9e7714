import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdj_cli.durations import duration_text, parse_duration
from pdj_cli.poller import DEFAULT_GRACE, DEFAULT_HEARTBEAT, DEFAULT_INTERVAL


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
    "text",
    [
        *["", "abc", "5x", "m5", "1h 30m", "-5", "5m-", "inf", "nan", "1e400"],
        *["1e9", "1_000", "1e3s", "0x10", "\u0663", "\u0663s", "+5", "5.", "1.5.2", "9" * 400],
    ],
)
def test_anything_else_is_rejected_with_a_reason(text):
    with pytest.raises(ValueError, match=r"duration|negative"):
        parse_duration(text)


def test_a_negative_duration_says_so():
    with pytest.raises(ValueError, match="negative"):
        parse_duration("-5m")


@given(st.text())
def test_any_text_is_a_duration_or_a_value_error(text):
    try:
        seconds = parse_duration(text)
    except ValueError as error:
        assert str(error)
    else:
        assert 0 <= seconds < float("inf")


@given(
    st.lists(
        st.tuples(st.integers(0, 10**6), st.sampled_from(["d", "h", "m", "s", "ms"])),
        min_size=1,
        max_size=4,
    )
)
def test_unit_forms_add_up(parts):
    text = "".join(f"{count}{unit}" for count, unit in parts)
    size = {"d": 86400, "h": 3600, "m": 60, "s": 1, "ms": 0.001}
    assert parse_duration(text) == pytest.approx(sum(n * size[u] for n, u in parts))


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(600.0, "10m"), (300.0, "5m"), (15.0, "15s"), (0.0, "0"), (0.5, "0.5s"), (5400.0, "1h30m"),
     (90.0, "1m30s"), (90000.0, "1d1h")],
)  # fmt: skip
def test_duration_text_is_the_shortest_form_that_reads_back(seconds, text):
    assert duration_text(seconds) == text
    assert parse_duration(text) == seconds


def test_the_help_shows_the_poller_defaults_as_people_type_them():
    # the option defaults are built from pdj_cli.poller's constants, not written again
    assert [duration_text(s) for s in (DEFAULT_INTERVAL, DEFAULT_GRACE, DEFAULT_HEARTBEAT)] == [
        "15s",
        "10m",
        "5m",
    ]
