"""A resident's request that turns out to be a dispute between parties is handed to mediation."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.core.testing.factories import UserFactory
from apps.mediation.models import Case
from apps.mediation.tests.helpers import institution, mediator
from apps.resident_requests import services as request_services
from apps.resident_requests.models import Department, ResidentRequest
from apps.resident_requests.tests.helpers import public_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def handled(admin_user):
    request_services.ensure_defaults()
    department = Department.objects.order_by("code").first()
    staff = UserFactory(username="dept-staff")
    department.staff.add(staff)
    r = public_request(
        category="neighbour", title="楼上漏水协商不成", content="楼上漏水两个月，找过多次，对方不肯维修赔偿。"
    )
    request_services.route(actor=admin_user, request_id=r.pk, department_id=department.pk)
    request_services.accept(actor=staff, request_id=r.pk)
    inst = institution("上沙社区人民调解委员会", "community")
    mediator_user, _ = mediator(inst, "ss-admin", admin=True)
    return {"request": r, "staff": staff, "institution": inst, "mediator": mediator_user}


def test_the_handling_department_refers_a_dispute_and_the_resident_gets_the_case_receipt(handled):
    staff = Client()
    staff.force_login(handled["staff"])
    r = handled["request"]
    response = staff.post(f"/mediation/refer/{r.pk}/", {"institution": handled["institution"].pk, "dispute_type": "neighbour", "respondent_name": "楼上住户"})  # fmt: skip
    assert response.status_code == 302
    case = Case.objects.get()
    r.refresh_from_db()
    assert case.source == "grid" and case.from_request_id == r.pk and case.applicant_name == r.submitter_name
    assert r.state == "replied" and case.receipt in r.reply
    assert case.receipt in staff.get(f"/requests/{r.pk}/").content.decode()
    desk = Client()
    desk.force_login(handled["mediator"])
    page = desk.get(f"/mediation/{case.pk}/")
    assert (
        page.status_code == 200 and page.context["request_link"] == ""
    )  # the mediator cannot open the request


def test_a_request_not_yet_accepted_cannot_be_referred_and_nothing_is_created(handled, admin_user):
    fresh = public_request()
    c = Client()
    c.force_login(admin_user)
    c.post(f"/mediation/refer/{fresh.pk}/", {"institution": handled["institution"].pk, "dispute_type": "neighbour", "respondent_name": "甲"})  # fmt: skip
    assert not Case.objects.exists() and ResidentRequest.objects.get(pk=fresh.pk).state == "submitted"


def test_someone_who_cannot_see_the_request_cannot_refer_it(handled):
    c = Client()
    c.force_login(handled["mediator"])
    assert (
        c.post(
            f"/mediation/refer/{handled['request'].pk}/", {"institution": handled["institution"].pk}
        ).status_code
        == 404
    )
    assert not Case.objects.exists()


def test_the_api_refers_a_request_and_refuses_a_missing_respondent(handled):
    staff = Client()
    staff.force_login(handled["staff"])
    url = f"/api/v1/mediation/refer/{handled['request'].pk}"
    body = {"institution": handled["institution"].pk, "dispute_type": "neighbour", "respondent_name": ""}
    refused = staff.post(url, body, content_type="application/json")
    assert refused.status_code == 400 and not Case.objects.exists()
    made = staff.post(url, body | {"respondent_name": "楼上住户"}, content_type="application/json")
    assert made.status_code == 201 and made.json()["source"] == "grid"
