import datetime as dt

from django.utils import timezone

from apps.core.testing.factories import make_member
from apps.core.testing.queries import assert_constant_queries
from apps.dues.models import DuesBill, DuesPayment
from apps.dues.services import dues_base_set, dues_bills_generate

MONTH = timezone.localdate().replace(day=1)


def setup_members(zone, admin_user, org_key="a1", n=3):
    members = []
    for _ in range(n):
        m = make_member(
            zone[org_key], admission_date=dt.date(2005, 1, 1), full_membership_date=dt.date(2006, 1, 1)
        )
        dues_base_set(
            actor=admin_user,
            member_id=m.pk,
            base="4000",
            category="employed",
            effective_from=dt.date(2020, 1, 1),
        )
        members.append(m)
    return members


def test_generate_button_then_pay_from_the_bill_list(client_for, zone, admin_user, secretary_user):
    setup_members(zone, admin_user)
    setup_members(zone, admin_user, "a2", 2)
    client = client_for(secretary_user)
    client.post("/dues/generate/", {"month": f"{MONTH:%Y-%m}"})
    assert DuesBill.objects.count() == 3  # the secretary's branch only
    bill = DuesBill.objects.first()
    page = client.get(f"/dues/bills/?month={MONTH:%Y-%m}").content.decode()
    assert bill.member.name in page
    data = {
        "amount": "40.00",
        "method": "cash",
        "paid_on": timezone.localdate().isoformat(),
        "token": "form-1",
    }
    client.post(f"/dues/bills/{bill.pk}/pay/", data)
    client.post(f"/dues/bills/{bill.pk}/pay/", data)  # a resubmission
    assert DuesPayment.objects.count() == 1
    index = client.get(f"/dues/?month={MONTH:%Y-%m}&org={zone['a1'].pk}").content.decode()
    assert "33%" in index


def test_dues_pages_of_another_scope_are_404(client_for, zone, admin_user, secretary_user):
    setup_members(zone, admin_user, "b1", 1)
    dues_bills_generate(actor=admin_user, month=MONTH)
    bill = DuesBill.objects.get()
    client = client_for(secretary_user)
    assert client.get(f"/dues/?org={zone['b1'].pk}").status_code == 404
    assert (
        client.post(
            f"/dues/bills/{bill.pk}/pay/",
            {"amount": "40", "method": "cash", "paid_on": "2026-01-01", "token": "z"},
        ).status_code
        == 404
    )
    assert bill.member.name not in client.get(f"/dues/bills/?month={MONTH:%Y-%m}").content.decode()
    assert client.get(f"/dues/members/{bill.member_id}/base/").status_code == 404


def test_member_sees_own_bills_on_the_phone_page(client_for, zone, admin_user, member_user):
    from apps.members.models import Member

    own = Member.objects.get(user=member_user)
    dues_base_set(
        actor=admin_user,
        member_id=own.pk,
        base="2000",
        category="employed",
        effective_from=dt.date(2020, 1, 1),
    )
    setup_members(zone, admin_user)
    dues_bills_generate(actor=admin_user, month=MONTH)
    client = client_for(member_user)
    body = client.get("/dues/mine/").content.decode()
    assert "10.00" in body
    assert client.get("/dues/").url == "/dues/mine/"
    assert client.get("/dues/bills/").status_code == 404
    items = client.get("/api/v1/dues/bills").json()["items"]
    assert [b["member_id"] for b in items] == [own.pk]


def test_ledger_exports_the_month(client_for, zone, admin_user):
    setup_members(zone, admin_user)
    dues_bills_generate(actor=admin_user, month=MONTH)
    response = client_for(admin_user).get(f"/dues/ledger.xlsx?month={MONTH:%Y-%m}")
    assert response.status_code == 200
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 4


def test_bill_list_queries_do_not_grow(client_for, zone, admin_user):
    setup_members(zone, admin_user)
    dues_bills_generate(actor=admin_user, month=MONTH)

    def grow():
        setup_members(zone, admin_user, "a2", 6)
        dues_bills_generate(actor=admin_user, month=MONTH)

    assert_constant_queries(client_for(admin_user), f"/dues/bills/?month={MONTH:%Y-%m}", grow)
    assert_constant_queries(
        client_for(admin_user),
        f"/dues/?month={MONTH:%Y-%m}&org={zone['root'].pk}",
        lambda: setup_members(zone, admin_user, "b1", 3),
    )


def test_api_generate_pay_collection_and_errors(client_for, zone, admin_user):
    setup_members(zone, admin_user)
    client = client_for(admin_user)
    from django.test import Client

    api = Client()
    token = api.post(
        "/api/v1/auth/token",
        {"username": admin_user.username, "password": "Test@12345678"},
        content_type="application/json",
    ).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    result = api.post(
        "/api/v1/dues/bills/generate", {"month": MONTH.isoformat()}, content_type="application/json", **auth
    ).json()
    assert result["created"] == 3
    bill = api.get("/api/v1/dues/bills?status=unpaid", **auth).json()["items"][0]
    payment = {
        "amount": bill["amount"],
        "method": "transfer",
        "paid_on": timezone.localdate().isoformat(),
        "token": "api-1",
    }
    assert (
        api.post(
            f"/api/v1/dues/bills/{bill['id']}/payment", payment, content_type="application/json", **auth
        ).status_code
        == 201
    )
    again = api.post(
        f"/api/v1/dues/bills/{bill['id']}/payment", payment, content_type="application/json", **auth
    )
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "dues.duplicate_submission"
    rate = api.get(f"/api/v1/dues/collection?month={MONTH.isoformat()}", **auth).json()
    assert rate["bills"] == 3 and rate["paid"] == 1
    bad = api.put(
        f"/api/v1/dues/members/{bill['member_id']}/base",
        {"base": "-1", "category": "employed", "effective_from": MONTH.isoformat()},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "base"
    assert client.get("/api/v1/dues/arrears").json()[0]["months"] == 1
