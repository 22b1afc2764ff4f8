"""Validation of a member's data, shared by the form, the API and the Excel import.

Every problem is collected (not only the first), each naming its field, so an import row can list
all its errors at once. Gender and birth date come from the citizen ID; when given they must agree.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from typing import Any

from apps.core.errors import DomainError
from apps.core.identity import CitizenId, normalize_phone, parse_citizen_id
from apps.members.choices import ETHNICITIES, Education, Gender, MemberCategory, MemberStatus
from apps.orgs.choices import BRANCH_TYPES, OrgType
from apps.orgs.models import Organization
from apps.orgs.rules import add_years

NAME_RE = re.compile(r"^[\u4e00-\u9fa5A-Za-z·•.\s]{2,30}$")

FIELD_LABELS = {
    "name": "姓名",
    "citizen_id": "身份证号",
    "gender": "性别",
    "ethnicity": "民族",
    "birth_date": "出生日期",
    "education": "学历",
    "phone": "联系电话",
    "org": "所在党组织",
    "party_group": "党小组",
    "work_unit": "工作单位",
    "position": "职务",
    "application_date": "申请入党日期",
    "activist_date": "确定积极分子日期",
    "candidate_date": "确定发展对象日期",
    "admission_date": "入党日期",
    "full_membership_date": "转正日期",
    "category": "党员类别",
}

# Members are registered in organizations that hold members: branches, general branches, and
# committees for their own office members.
MEMBER_HOLDING_TYPES = frozenset(
    BRANCH_TYPES
    | {OrgType.GENERAL_BRANCH}
    | {OrgType.COMMITTEE, OrgType.GENERAL_COMMITTEE, OrgType.ORGAN_COMMITTEE, OrgType.STREET_COMMITTEE}
)


EDUCATION_BY_LABEL = {str(label): value for value, label in Education.choices}
CATEGORY_BY_LABEL = {str(label): value for value, label in MemberCategory.choices}
EDUCATION_VALUES = frozenset(Education.values)
CATEGORY_VALUES = frozenset(MemberCategory.values)
GENDER_VALUES = frozenset(Gender.values)
ETHNICITY_SET = frozenset(ETHNICITIES)


@dataclass
class CleanMember:
    name: str
    citizen: CitizenId
    gender: str
    ethnicity: str
    birth_date: dt.date
    education: str
    phone: str
    org: Organization
    party_group: Organization | None
    work_unit: str
    position: str
    application_date: dt.date | None
    activist_date: dt.date | None
    candidate_date: dt.date | None
    admission_date: dt.date
    full_membership_date: dt.date | None
    category: str

    @property
    def status(self) -> str:
        return MemberStatus.FULL if self.full_membership_date else MemberStatus.PROBATIONARY


def _text(values: dict[str, Any], key: str) -> str:
    value = values.get(key)
    return "" if value is None else str(value).strip()


def validate_member(
    values: dict[str, Any], *, today: dt.date
) -> tuple[CleanMember | None, list[DomainError]]:
    """Checks a member's values; returns the clean member, or None and every error found."""
    errors: list[DomainError] = []

    name = re.sub(r"\s+", "", _text(values, "name"))
    if not name:
        errors.append(DomainError("member.name_required", "请填写姓名", field="name"))
    elif not NAME_RE.match(name):
        errors.append(DomainError("member.name_invalid", "姓名应为2至30个汉字或字母", field="name"))

    citizen: CitizenId | None = None
    try:
        citizen = parse_citizen_id(_text(values, "citizen_id"))
    except DomainError as exc:
        errors.append(exc)

    gender = _text(values, "gender")
    gender_map = {"男": Gender.MALE, "女": Gender.FEMALE}
    gender = gender_map.get(gender, gender)
    if gender and gender not in GENDER_VALUES:
        errors.append(DomainError("member.gender_invalid", "性别应为“男”或“女”", field="gender"))
    elif citizen and gender and gender != citizen.gender:
        errors.append(DomainError("member.gender_mismatch", "性别与身份证号不符", field="gender"))

    birth = values.get("birth_date")
    if citizen and birth and birth != citizen.birth_date:
        errors.append(DomainError("member.birth_mismatch", "出生日期与身份证号不符", field="birth_date"))
    if citizen and citizen.birth_date > today:
        errors.append(DomainError("member.birth_future", "身份证号中的出生日期晚于今天", field="citizen_id"))

    ethnicity = _text(values, "ethnicity") or "汉族"
    if ethnicity not in ETHNICITY_SET:
        errors.append(
            DomainError("member.ethnicity_invalid", f"民族“{ethnicity}”不在56个民族之列", field="ethnicity")
        )

    education = _text(values, "education")
    education = EDUCATION_BY_LABEL.get(education, education)
    if education and education not in EDUCATION_VALUES:
        errors.append(DomainError("member.education_invalid", "学历不正确", field="education"))

    phone = ""
    try:
        phone = normalize_phone(_text(values, "phone"))
    except DomainError as exc:
        errors.append(exc)

    category = _text(values, "category") or MemberCategory.EMPLOYED
    category = CATEGORY_BY_LABEL.get(category, category)
    if category not in CATEGORY_VALUES:
        errors.append(DomainError("member.category_invalid", "党员类别不正确", field="category"))

    org = values.get("org")
    if org is None:
        errors.append(DomainError("member.org_required", "请选择所在党组织", field="org"))
    elif org.org_type not in MEMBER_HOLDING_TYPES:
        errors.append(
            DomainError(
                "member.org_type", f"党员不能直接编入{OrgType(org.org_type).label}，请选择党支部", field="org"
            )
        )
    elif not org.is_active:
        errors.append(DomainError("member.org_inactive", "该组织已撤销", field="org"))
    group = values.get("party_group")
    if (
        group is not None
        and org is not None
        and (group.parent_id != org.pk or group.org_type != OrgType.GROUP)
    ):
        errors.append(
            DomainError("member.group_outside", "党小组须是所在党支部下的党小组", field="party_group")
        )

    dates: dict[str, dt.date | None] = {}
    for key in (
        "application_date",
        "activist_date",
        "candidate_date",
        "admission_date",
        "full_membership_date",
    ):
        value = values.get(key)
        if value is not None and not isinstance(value, dt.date):
            errors.append(DomainError("member.date_invalid", f"{FIELD_LABELS[key]}不是有效日期", field=key))
            value = None
        if value is not None and value > today:
            errors.append(DomainError("member.date_future", f"{FIELD_LABELS[key]}不能晚于今天", field=key))
        dates[key] = value
    admission = dates["admission_date"]
    if admission is None and not any(e.field == "admission_date" for e in errors):
        errors.append(DomainError("member.admission_required", "请填写入党日期", field="admission_date"))
    order = ["application_date", "activist_date", "candidate_date", "admission_date", "full_membership_date"]
    present = [(k, dates[k]) for k in order if dates[k] is not None]
    for (k1, d1), (k2, d2) in itertools.pairwise(present):
        if d1 and d2 and d2 < d1:
            errors.append(
                DomainError("member.date_order", f"{FIELD_LABELS[k2]}不能早于{FIELD_LABELS[k1]}", field=k2)
            )
    if citizen:
        # 党章第一条: 年满十八岁 — the application (or, without one, the admission) must follow the 18th birthday.
        first = dates["application_date"] or admission
        if first and first < add_years(citizen.birth_date, 18):
            field = "application_date" if dates["application_date"] else "admission_date"
            errors.append(DomainError("member.under_18", "申请入党时未满18周岁", field=field))
    full = dates["full_membership_date"]
    if admission and full and full < add_years(admission, 1):
        errors.append(
            DomainError(
                "member.probation_short",
                f"预备期为一年：转正日期不能早于{add_years(admission, 1):%Y-%m-%d}",
                field="full_membership_date",
            )
        )

    if errors or citizen is None or org is None or admission is None:
        return None, errors
    return (
        CleanMember(
            name=name,
            citizen=citizen,
            gender=citizen.gender,
            ethnicity=ethnicity,
            birth_date=citizen.birth_date,
            education=education,
            phone=phone,
            org=org,
            party_group=group,
            work_unit=_text(values, "work_unit")[:120],
            position=_text(values, "position")[:60],
            application_date=dates["application_date"],
            activist_date=dates["activist_date"],
            candidate_date=dates["candidate_date"],
            admission_date=admission,
            full_membership_date=full,
            category=category,
        ),
        [],
    )
