"""Chinese citizen IDs, phone numbers and names: validation and the values derived from them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import phonenumbers
from pypinyin import Style, lazy_pinyin
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from apps.core.errors import DomainError

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)


@dataclass(frozen=True)
class CitizenId:
    number: str
    birth_date: dt.date
    gender: str  # "male" | "female"

    @property
    def last4(self) -> str:
        return self.number[-4:]


def parse_citizen_id(raw: str, *, field: str = "citizen_id") -> CitizenId:
    """Validates an 18-digit resident ID (GB 11643: region, birth date, sequence, check digit)."""
    value = (raw or "").strip().upper().replace(" ", "")
    if not value:
        raise DomainError("citizen_id.required", "请填写身份证号", field=field)
    if len(value) != 18:
        raise DomainError("citizen_id.length", "身份证号应为18位", field=field)
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise DomainError("citizen_id.format", "身份证号前17位应为数字，末位为数字或X", field=field)
    if value[17] != ric.calc_check_digit(value):
        raise DomainError("citizen_id.checksum", "身份证号校验位不正确，请核对号码", field=field)
    try:
        birth = ric.get_birth_date(value)
    except StdnumError:
        raise DomainError("citizen_id.birth_date", "身份证号中的出生日期无效", field=field) from None
    # The region is checked at province level only: python-stdnum also compares each county code with
    # the birth year, which refuses real IDs of people born before their county's code existed (IDs
    # were issued in the 1980s-90s with the codes then current).
    if value[:2] not in PROVINCE_CODES:
        raise DomainError("citizen_id.region", "身份证号中的地区码无效", field=field)
    number = value
    # The 17th digit is odd for men and even for women.
    gender = "male" if int(number[16]) % 2 == 1 else "female"
    return CitizenId(number=number, birth_date=birth, gender=gender)


def normalize_phone(raw: str, *, field: str = "phone") -> str:
    """A mainland mobile or landline number in national form (no +86), or "" when empty."""
    value = (raw or "").strip().replace(" ", "").replace("-", "")
    if not value:
        return ""
    if MOBILE_RE.match(value):
        return value  # the common case, without the general parser (an import checks 100,000 of them)
    try:
        parsed = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        raise DomainError("phone.invalid", "电话号码格式不正确", field=field) from None
    if not phonenumbers.is_valid_number(parsed):
        raise DomainError("phone.invalid", "电话号码格式不正确", field=field)
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(ch for ch in national if ch.isdigit())


def name_pinyin(name: str) -> tuple[str, str]:
    """(full pinyin, initials) in lower case: 张三 → ("zhangsan", "zs")."""
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors="ignore")
    full = "".join(syllables).lower()
    initials = "".join(s[0] for s in syllables if s).lower()
    return full, initials
