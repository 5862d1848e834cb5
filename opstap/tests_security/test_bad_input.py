"""Bad input gets an error, never an exception: property-based tests of validators and parsers."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opstap.clients.utils import neutralise_cell
from opstap.clients.validators import clean_insz, make_insz
from opstap.interchange.engine import import_files
from opstap.network.validators import clean_kbo

birth_dates = st.dates(min_value=datetime.date(1920, 1, 1), max_value=datetime.date(2024, 12, 31))


@given(birth_dates, st.integers(min_value=1, max_value=997))
def test_generated_insz_is_accepted(birth_date, sequence):
    insz = make_insz(birth_date, sequence)
    assert clean_insz(insz) == insz
    assert clean_insz(f"{insz[:2]}.{insz[2:4]}.{insz[4:6]}-{insz[6:9]}.{insz[9:]}") == insz


@given(birth_dates, st.integers(min_value=1, max_value=997), st.integers(0, 10), st.integers(1, 9))
def test_insz_with_one_digit_changed_is_refused(birth_date, sequence, position, delta):
    insz = make_insz(birth_date, sequence)
    digit = (int(insz[position]) + delta) % 10
    mutated = insz[:position] + str(digit) + insz[position + 1 :]
    # A single changed digit always breaks the mod-97 check of the same century (97 > any
    # one-digit change). It can only pass as someone born a century apart, whose check is
    # computed over "2" + the digits (births from 2000) or without it (before 2000).
    try:
        clean_insz(mutated)
    except ValidationError:
        return
    born_2000s = birth_date.year >= 2000
    assert int(mutated[9:]) != _check_digits(mutated[:9], born_2000s)
    assert int(mutated[9:]) == _check_digits(mutated[:9], not born_2000s)


def _check_digits(first_nine: str, born_2000s: bool) -> int:
    return 97 - int(("2" if born_2000s else "") + first_nine) % 97


@given(st.text(max_size=60))
def test_insz_random_text_never_crashes(text):
    try:
        result = clean_insz(text)
    except ValidationError:
        return
    assert result == "" or (len(result) == 11 and result.isdigit())


@given(st.integers(min_value=1000000, max_value=19999999))
def test_valid_kbo_is_accepted(n):
    base = f"{n:08d}"  # KBO: eight digits starting with 0 or 1, then 97 - (base mod 97)
    value = f"{base}{97 - int(base) % 97:02d}"
    assert clean_kbo(value) == value
    assert clean_kbo(f"BE {value[:4]}.{value[4:7]}.{value[7:]}") == value


@given(st.text(max_size=40))
def test_kbo_random_text_never_crashes(text):
    try:
        result = clean_kbo(text)
    except ValidationError as exc:
        assert "kbo" in exc.message_dict
        return
    assert result == "" or (len(result) == 10 and result.isdigit())


@given(st.text(max_size=30))
def test_csv_cells_are_never_formulas(text):
    cell = neutralise_cell(text)
    assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r")


def test_dde_payload_is_neutralised():
    assert neutralise_cell("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert neutralise_cell("@SUM(1+1)") == "'@SUM(1+1)"


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.dictionaries(
        st.sampled_from(["clients.csv", "rights.csv", "care_team.csv", "other.csv"]),
        st.one_of(
            st.binary(max_size=300),
            st.text(max_size=300).map(lambda t: t.encode("utf-16")),
            st.text(max_size=200).map(
                lambda t: ("ref;last_name\n" + t).encode("latin-1", "replace")
            ),
            st.just(b"ref,last_name,first_name\n" + b"x," * 5000 + b"\n"),
        ),
        max_size=3,
    )
)
def test_interchange_parser_reports_errors_never_raises(centre, files):
    result = import_files(files=files, centre=centre, dry_run=True)
    assert result.errors or not files  # garbage is reported, never loaded
    for problem in result.errors:
        assert str(problem.message)
