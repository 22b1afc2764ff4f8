"""Rules on an organization's shape and terms, as pure functions of counts and dates (SPEC §1).

Sources: 《中国共产党支部工作条例（试行）》(2018) arts. 5–9 (three full members for a branch, a
committee from seven, general branch from 50, grassroots committee from 100) and
《中国共产党基层组织选举工作条例》(terms: grassroots committees 5 years, general branches and
branches 3 years). These are warnings: the organization department decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from apps.orgs.choices import BRANCH_TYPES, COMMITTEE_TYPES, OrgType

RE_ELECTION_NOTICE_DAYS = 90


@dataclass(frozen=True)
class OrgWarning:
    code: str
    level: str  # "danger" | "warning" | "info"
    message: str


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def term_years(org_type: str) -> int:
    return 5 if org_type in COMMITTEE_TYPES else 3


def re_election_due(
    org_type: str, last_election_on: dt.date | None, founded_on: dt.date | None
) -> dt.date | None:
    reference = last_election_on or founded_on
    if reference is None or org_type == OrgType.GROUP:
        return None
    return add_years(reference, term_years(org_type))


def org_warnings(
    *,
    org_type: str,
    full_members: int,
    total_members: int,
    committee_size: int,
    last_election_on: dt.date | None,
    founded_on: dt.date | None,
    end_date: dt.date | None,
    is_active: bool,
    today: dt.date,
) -> list[OrgWarning]:
    """Everything about an organization's shape and terms that needs attention, most serious first."""
    warnings: list[OrgWarning] = []
    if not is_active:
        return warnings
    if org_type in BRANCH_TYPES and full_members < 3:
        warnings.append(
            OrgWarning(
                "branch.too_few_full_members",
                "danger",
                f"正式党员仅{full_members}名，不足3名：不符合单独设立党支部的条件，可与邻近单位成立联合党支部",
            )
        )
    if org_type in BRANCH_TYPES and full_members >= 7 and committee_size < 3:
        warnings.append(
            OrgWarning(
                "branch.committee_expected",
                "warning",
                f"正式党员{full_members}名（7名以上），应设立支部委员会（现有委员{committee_size}名）",
            )
        )
    if org_type in BRANCH_TYPES | {OrgType.GENERAL_BRANCH}:
        if total_members >= 100:
            warnings.append(
                OrgWarning(
                    "size.committee_possible",
                    "info",
                    f"党员{total_members}名（100名以上），可申请设立基层党委",
                )
            )
        elif total_members >= 50 and org_type in BRANCH_TYPES:
            warnings.append(
                OrgWarning(
                    "size.general_branch_possible", "info", f"党员{total_members}名（50名以上），可设立党总支"
                )
            )
    due = re_election_due(org_type, last_election_on, founded_on)
    if due is not None:
        if due < today:
            warnings.append(
                OrgWarning(
                    "term.re_election_overdue", "danger", f"换届已逾期：本届任期应于{due:%Y-%m-%d}届满"
                )
            )
        elif (due - today).days <= RE_ELECTION_NOTICE_DAYS:
            warnings.append(
                OrgWarning("term.re_election_due", "warning", f"本届任期将于{due:%Y-%m-%d}届满，请筹备换届")
            )
    if org_type == OrgType.TEMP_BRANCH:
        if end_date is None:
            warnings.append(OrgWarning("temp.no_end_date", "warning", "临时党支部未填写期满日期"))
        elif end_date < today:
            warnings.append(
                OrgWarning(
                    "temp.past_end_date", "danger", f"临时党支部已于{end_date:%Y-%m-%d}期满，应及时撤销"
                )
            )
    order = {"danger": 0, "warning": 1, "info": 2}
    return sorted(warnings, key=lambda w: order[w.level])
