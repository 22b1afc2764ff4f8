import datetime as dt
import shutil
import subprocess

import pytest
from django.http import Http404
from django.utils import timezone

from apps.alerts.models import Alert
from apps.alerts.store import refresh_alerts
from apps.core import crypto
from apps.core.errors import ConflictError, DomainError
from apps.core.models import AccessAction, AccessLog
from apps.core.scoping import Role
from apps.core.testing.factories import UserFactory, grant, make_member, member_values
from apps.core.workflow import events_of
from apps.members.models import Member, MemberOrgPeriod
from apps.members.selectors import org_on
from apps.transfers import services
from apps.transfers.flow import TRANSFER_FLOW
from apps.transfers.models import Transfer

TODAY = timezone.localdate()


@pytest.fixture
def b1_secretary(zone):
    return grant(UserFactory(username="secretary-b1"), Role.BRANCH_SECRETARY, zone["b1"])


def test_within_the_zone_issue_then_the_receiver_confirms_and_the_member_moves(
    zone, secretary_user, b1_secretary
):
    member = make_member(
        zone["a1"], admission_date=dt.date(2010, 1, 1), full_membership_date=dt.date(2011, 1, 1)
    )
    t = services.transfer_request(
        actor=secretary_user, member_id=member.pk, to_org_id=zone["b1"].pk, reason="工作调动"
    )
    assert t.state == "requested"
    t = services.transfer_issue(actor=secretary_user, transfer_id=t.pk, dues_paid_to=TODAY)
    assert t.state == "issued" and t.number.startswith("开组转〔") and t.due_date > TODAY
    with pytest.raises(Http404):
        services.transfer_receive(actor=secretary_user, transfer_id=t.pk)  # only the receiving side confirms
    services.transfer_receive(actor=b1_secretary, transfer_id=t.pk, on=TODAY)
    member.refresh_from_db()
    assert member.org_id == zone["b1"].pk and member.org_path == zone["b1"].path
    assert org_on(member, TODAY - dt.timedelta(days=1)) == zone["a1"] and org_on(member, TODAY) == zone["b1"]
    assert MemberOrgPeriod.objects.filter(member=member, end__isnull=True).count() == 1
    assert [e.action for e in events_of(t)] == ["issue", "receive"]


def test_one_open_transfer_per_member_and_no_double_receipt(zone, secretary_user, b1_secretary):
    member = make_member(zone["a1"])
    t = services.transfer_request(
        actor=secretary_user, member_id=member.pk, to_org_id=zone["b1"].pk, reason="调动"
    )
    with pytest.raises(ConflictError):
        services.transfer_request(
            actor=secretary_user, member_id=member.pk, to_external="外地", reason="调动"
        )
    services.transfer_issue(actor=secretary_user, transfer_id=t.pk, dues_paid_to=TODAY)
    services.transfer_receive(actor=b1_secretary, transfer_id=t.pk)
    with pytest.raises(DomainError) as exc:
        services.transfer_receive(actor=b1_secretary, transfer_id=t.pk)
    assert exc.value.status == 409


def test_out_of_the_zone_receipt_takes_the_member_off_the_roll(zone, secretary_user):
    member = make_member(zone["a1"])
    t = services.transfer_request(
        actor=secretary_user, member_id=member.pk, to_external="中共杭州市西湖区某社区委员会", reason="迁居"
    )
    services.transfer_issue(actor=secretary_user, transfer_id=t.pk, dues_paid_to=TODAY)
    services.transfer_confirm_receipt(actor=secretary_user, transfer_id=t.pk, on=TODAY)
    member.refresh_from_db()
    assert member.category == "transferred_out"
    assert not Member.objects.filter(pk=member.pk).exclude(category="transferred_out").exists()
    assert org_on(member, TODAY) is None


def test_into_the_zone_registers_the_member_on_receipt(zone, secretary_user):
    values = member_values(zone["a1"])
    person = {k: values[k] for k in ("name", "citizen_id", "admission_date", "full_membership_date", "phone")}
    t = services.transfer_register_in(
        actor=secretary_user,
        to_org_id=zone["a1"].pk,
        from_external="外省某党支部",
        external_number="X-1",
        person=person,
    )
    assert values["citizen_id"] not in str(t.incoming)
    services.transfer_receive(actor=secretary_user, transfer_id=t.pk)
    t.refresh_from_db()
    assert (
        t.member.org_id == zone["a1"].pk
        and crypto.decrypt(t.member.citizen_id_encrypted) == values["citizen_id"]
    )


def test_bad_steps_are_refused_and_change_nothing(zone, secretary_user, b1_secretary):
    member = make_member(zone["a1"])
    with pytest.raises(DomainError):
        services.transfer_request(actor=secretary_user, member_id=member.pk, reason="x")  # no destination
    t = services.transfer_request(
        actor=secretary_user, member_id=member.pk, to_org_id=zone["b1"].pk, reason="x"
    )
    with pytest.raises(DomainError):
        services.transfer_issue(
            actor=secretary_user, transfer_id=t.pk, dues_paid_to=TODAY + dt.timedelta(days=40)
        )
    with pytest.raises(Http404):
        services.transfer_issue(actor=b1_secretary, transfer_id=t.pk, dues_paid_to=TODAY)
    with pytest.raises(DomainError):
        services.transfer_return(actor=b1_secretary, transfer_id=t.pk, reason="材料不全")  # not issued yet
    assert Transfer.objects.get(pk=t.pk).state == "requested"


@pytest.mark.parametrize("source", [s.value for s in TRANSFER_FLOW.states])
@pytest.mark.parametrize("transition", TRANSFER_FLOW.transitions, ids=lambda t: t.action)
def test_every_transition_from_every_state(source, transition):
    from apps.core.workflow import move

    class Item:
        pk = None
        state = source
        due_date = None

    if source in transition.sources:
        assert transition.target in {s.value for s in TRANSFER_FLOW.states}
    else:
        with pytest.raises(DomainError):
            move(Item(), TRANSFER_FLOW, transition.action, actor=None, note="因为")


def test_overdue_transfer_alerts_both_sides(zone, secretary_user):
    member = make_member(zone["a1"])
    t = services.transfer_request(
        actor=secretary_user, member_id=member.pk, to_org_id=zone["b1"].pk, reason="x"
    )
    services.transfer_issue(actor=secretary_user, transfer_id=t.pk, dues_paid_to=TODAY)
    Transfer.objects.filter(pk=t.pk).update(due_date=TODAY - dt.timedelta(days=1))
    refresh_alerts()
    assert {a.org_id for a in Alert.objects.filter(kind="transfers")} == {zone["a1"].pk, zone["b1"].pk}


def test_the_letter_pdf_carries_the_number_and_is_logged(zone, secretary_user, b1_secretary, client_for):
    member = make_member(zone["a1"], name="王小明")
    t = services.transfer_request(
        actor=secretary_user, member_id=member.pk, to_org_id=zone["b1"].pk, reason="x"
    )
    services.transfer_issue(actor=secretary_user, transfer_id=t.pk, dues_paid_to=TODAY)
    t.refresh_from_db()
    response = client_for(secretary_user).get(f"/transfers/{t.pk}/letter.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(action=AccessAction.PRINT_LETTER, target_id=member.pk).exists()
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(
            [pdftotext, "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert "党员组织关系介绍信" in text and "王小明" in text and t.number in text and "乙一支部" in text
    assert client_for(b1_secretary).get(f"/transfers/{t.pk}/letter.pdf").status_code == 404


def test_pages_and_api_are_scoped(zone, secretary_user, admin_user, client_for):
    stranger = make_member(zone["b1"])
    other = services.transfer_request(actor=admin_user, member_id=stranger.pk, to_external="外地", reason="x")
    client = client_for(secretary_user)
    assert client.get(f"/transfers/{other.pk}/").status_code == 404
    assert client.get("/api/v1/transfers").json() == []
    member = make_member(zone["a1"])
    created = client.post(
        "/api/v1/transfers",
        {"member_id": member.pk, "to_org_id": zone["b1"].pk, "reason": "调动"},
        content_type="application/json",
    )
    assert created.status_code == 201
    issued = client.post(
        f"/api/v1/transfers/{created.json()['id']}/issue",
        {"dues_paid_to": TODAY.isoformat()},
        content_type="application/json",
    )
    assert issued.json()["state"] == "issued"
    assert (
        client.post(
            "/api/v1/transfers",
            {"member_id": stranger.pk, "to_external": "x", "reason": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_a_secretary_starts_a_transfer_from_the_member_page(zone, secretary_user, client_for):
    member = make_member(zone["a1"])
    client = client_for(secretary_user)
    assert "组织关系转接" in client.get(f"/members/{member.pk}/").content.decode()
    response = client.post(
        f"/transfers/new/?member={member.pk}", {"to_org": zone["b1"].pk, "reason": "工作调动"}
    )
    t = Transfer.objects.get()
    assert response.url == f"/transfers/{t.pk}/"
    client.post(f"/transfers/{t.pk}/issue/", {"dues_paid_to": f"{TODAY:%Y-%m}", "valid_days": "60"})
    t.refresh_from_db()
    assert t.state == "issued" and t.valid_days == 60
