import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core import crypto
from apps.core.demo.identities import check_digit
from apps.core.errors import DomainError
from apps.core.identity import name_pinyin, normalize_phone, parse_citizen_id
from apps.core.masking import mask_citizen_id, mask_phone


def test_valid_id_gives_birth_date_and_gender():
    cid = parse_citizen_id("11010519491231002X")
    assert cid.birth_date == dt.date(1949, 12, 31)
    assert cid.gender == "female"
    assert cid.last4 == "002X"


def test_lower_case_x_is_accepted():
    assert parse_citizen_id("11010519491231002x").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "citizen_id.required"),
        ("1101051949123100", "citizen_id.length"),
        ("110105194912310021", "citizen_id.checksum"),
        ("11010519491331002X", "citizen_id.checksum"),
        ("A1010519491231002X", "citizen_id.format"),
        ("990105194912310027", "citizen_id.region"),
    ],
)
def test_invalid_ids_are_refused_with_a_reason(raw, code):
    with pytest.raises(DomainError) as exc:
        parse_citizen_id(raw)
    assert exc.value.code in {code, "citizen_id.birth_date", "citizen_id.checksum"}
    assert exc.value.field == "citizen_id"


def test_an_impossible_birth_date_is_refused_even_with_a_correct_check_digit():
    first17 = "33010619800231123"
    with pytest.raises(DomainError) as exc:
        parse_citizen_id(first17 + check_digit(first17))
    assert exc.value.code == "citizen_id.birth_date"


def test_older_members_ids_from_todays_county_codes_are_accepted():
    # Born 1950 in 西湖区 (330106, a code from 1983): real IDs issued later carry it.
    first17 = "33010619500101123"
    assert parse_citizen_id(first17 + check_digit(first17)).birth_date == dt.date(1950, 1, 1)


@given(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2008, 1, 1)), st.integers(0, 999))
def test_any_generated_id_with_its_check_digit_parses_back(birth, seq):
    first17 = f"330106{birth:%Y%m%d}{seq:03d}"
    parsed = parse_citizen_id(first17 + check_digit(first17))
    assert parsed.birth_date == birth
    assert parsed.gender == ("male" if seq % 2 else "female")


def test_masks_keep_region_and_last_four():
    assert mask_citizen_id("330106199001011234") == "330106********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""


def test_phones_are_normalized_and_bad_ones_refused():
    assert normalize_phone("138-1234-5678") == "13812345678"
    assert normalize_phone("+86 138 1234 5678") == "13812345678"
    assert normalize_phone("") == ""
    with pytest.raises(DomainError):
        normalize_phone("12345")


def test_pinyin_full_and_initials():
    assert name_pinyin("张三") == ("zhangsan", "zs")
    assert name_pinyin("欧阳晓东") == ("ouyangxiaodong", "oyxd")


def test_encryption_round_trips_and_hides_the_value():
    token = crypto.encrypt("330106199001011234")
    assert "330106199001011234" not in token
    assert crypto.decrypt(token) == "330106199001011234"
    assert crypto.keyed_hash("a") == crypto.keyed_hash("a") != crypto.keyed_hash("b")
