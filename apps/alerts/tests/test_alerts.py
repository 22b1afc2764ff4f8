import datetime as dt

from django.core import mail
from django.utils import timezone

from apps.alerts.models import Alert
from apps.alerts.store import refresh_alerts
from apps.core.testing.factories import make_member, make_members
from apps.dues.models import DuesBill
from apps.dues.services import dues_base_set, dues_bills_generate, dues_payment_record
from apps.meetings.services import meeting_create, meeting_mark_held

TODAY = timezone.localdate()


def months_ago(n):
    from apps.development.rules import add_months

    return add_months(TODAY.replace(day=1), -n)


def test_missed_meetings_raise_alerts_that_resolve_when_the_record_arrives(zone, secretary_user):
    make_members(zone["a1"], 3)
    refresh_alerts()
    key_prefix = f"meeting:{zone['a1'].pk}:theme_day:"
    missed = Alert.objects.get(key=f"{key_prefix}{months_ago(1):%Y%m%d}")
    assert missed.level == "danger" and missed.resolved_at is None and "未召开" in missed.title
    meeting = meeting_create(
        actor=secretary_user,
        org_id=zone["a1"].pk,
        values={"meeting_type": "theme_day", "topic": "补录", "date": months_ago(1)},
    )
    meeting_mark_held(actor=secretary_user, meeting_id=meeting.pk)
    result = refresh_alerts()
    missed.refresh_from_db()
    assert missed.resolved_at is not None and result["resolved"] >= 1


def test_refresh_twice_creates_nothing_twice(zone):
    make_members(zone["a1"], 2)
    first = refresh_alerts()
    second = refresh_alerts()
    assert second["created"] == 0 and second["kept"] == first["created"]


def test_arrears_and_lost_contact(zone, admin_user):
    quiet = make_member(
        zone["a1"],
        name="久未联系",
        admission_date=dt.date(2000, 1, 1),
        full_membership_date=dt.date(2001, 1, 1),
    )
    active = make_member(
        zone["a1"],
        name="按时交费",
        admission_date=dt.date(2000, 1, 1),
        full_membership_date=dt.date(2001, 1, 1),
    )
    for m in (quiet, active):
        dues_base_set(
            actor=admin_user,
            member_id=m.pk,
            base="4000",
            category="employed",
            effective_from=dt.date(2020, 1, 1),
        )
    for n in range(6, -1, -1):
        dues_bills_generate(actor=admin_user, month=months_ago(n))
    for i, bill in enumerate(DuesBill.objects.filter(member=active, month__gte=months_ago(5))):
        dues_payment_record(
            actor=admin_user,
            bill_id=bill.pk,
            amount=bill.amount,
            method="cash",
            paid_on=max(bill.month, TODAY - dt.timedelta(days=1)),
            token=f"p{i}",
        )
    refresh_alerts()
    dues_alert = Alert.objects.get(key=f"dues:{quiet.pk}")
    assert dues_alert.level == "danger" and "7个月" in dues_alert.title
    assert Alert.objects.filter(key=f"lost:{quiet.pk}").exists()
    assert not Alert.objects.filter(key=f"lost:{active.pk}").exists()


def test_inbox_is_scoped_and_a_member_sees_only_their_own(
    zone, admin_user, committee_user, member_user, client_for
):
    make_members(zone["a1"], 2)
    make_members(zone["b1"], 2)
    refresh_alerts()
    body = client_for(committee_user).get("/alerts/").content.decode()
    assert "甲一支部" in body and "乙一支部" not in body
    other = Alert.objects.filter(org_path__startswith=zone["b"].path).first()
    assert client_for(committee_user).get(f"/alerts/{other.pk}/open/").status_code == 404
    member_body = client_for(member_user).get("/alerts/").content.decode()
    assert "甲一支部" not in member_body


def test_opening_an_alert_marks_it_read_and_goes_to_the_page(zone, committee_user, client_for):
    make_members(zone["a1"], 2)
    refresh_alerts()
    client = client_for(committee_user)
    home = client.get("/").content.decode()
    assert 'data-testid="alerts-unread"' in home
    alert = Alert.objects.filter(org_path__startswith=zone["a"].path).first()
    response = client.get(f"/alerts/{alert.pk}/open/")
    assert response.status_code == 302 and response.url == alert.link
    client.post("/alerts/read-all/")
    assert 'data-testid="alerts-unread"' not in client.get("/").content.decode()


def test_reminder_mail_lists_the_unread_alerts(zone, committee_user):
    from apps.alerts.services import send_reminders

    committee_user.email = "committee@example.com"
    committee_user.save(update_fields=["email"])
    make_members(zone["a1"], 2)
    refresh_alerts()
    assert send_reminders() == 1
    assert "待处理预警" in mail.outbox[0].subject and "甲一支部" in mail.outbox[0].body


def test_only_the_zone_admin_can_run_the_rules_from_the_page(zone, admin_user, committee_user, client_for):
    assert client_for(committee_user).post("/alerts/refresh/").status_code == 404
    assert client_for(admin_user).post("/alerts/refresh/").status_code == 302
