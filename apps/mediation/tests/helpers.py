"""Institutions, mediators and cases for the mediation tests, made through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from apps.core.testing.factories import UserFactory
from apps.mediation import services
from apps.mediation.models import Case, Institution, Mediator


def institution(
    name: str, kind: str = "street", supervisor: Institution | None = None, **fields: Any
) -> Institution:
    return Institution.objects.create(name=name, kind=kind, supervisor=supervisor, **fields)


def mediator(
    inst: Institution, username: str, *, admin: bool = False, name: str = ""
) -> tuple[Any, Mediator]:
    user = UserFactory(username=username, display_name=name or username)
    return user, Mediator.objects.create(institution=inst, user=user, name=name or username, is_admin=admin)


def application(inst: Institution, **overrides: Any) -> dict[str, Any]:
    values = {
        "institution": str(inst.pk), "dispute_type": "neighbour", "amount": "1200", "applicant_name": "陈晓梅",
        "applicant_phone": "13812345678", "applicant_address": "下沙街道上沙社区3幢", "respondent_name": "王建国",
        "respondent_phone": "", "facts": "楼上装修漏水，导致我家天花板和墙面受损，多次协商无果。", "claims": "赔偿维修费用1200元",
    }  # fmt: skip
    values.update(overrides)
    return values


def received_case(inst: Institution, *, key: str, on: dt.date | None = None, **overrides: Any) -> Case:
    case, _created = services.apply_online(application(inst, **overrides), [], submission_key=key, today=on)
    return case
