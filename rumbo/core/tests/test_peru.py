import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from rumbo.core.peru import is_valid_ruc, make_ruc, ruc_check_digit, validate_dni, validate_ruc


@pytest.mark.parametrize(
    "ruc",
    ["20100047218", "20131312955", "20100070970", "20601030013"],
)
def test_real_rucs_are_valid(ruc):
    assert is_valid_ruc(ruc)


@pytest.mark.parametrize(
    "ruc",
    ["2060", "20100047219", "2010004721A", "30100047218", "201000472180", ""],
)
def test_malformed_or_wrong_check_digit_rucs_are_refused(ruc):
    assert not is_valid_ruc(ruc)
    with pytest.raises(ValidationError, match="RUC"):
        validate_ruc(ruc)


def test_the_check_digit_follows_sunats_modulo_11():
    # 2*5+0*4+1*3+0*2+0*7+0*6+4*5+7*4+2*3+1*2 = 69; 69 % 11 = 3; 11 - 3 = 8
    assert ruc_check_digit("2010004721") == 8


@given(st.sampled_from(["10", "20"]), st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_a_made_ruc_is_always_valid(prefix, body):
    assert is_valid_ruc(make_ruc(prefix + body))


def test_a_dni_has_eight_digits():
    validate_dni("45678912")
    with pytest.raises(ValidationError):
        validate_dni("4567891")
