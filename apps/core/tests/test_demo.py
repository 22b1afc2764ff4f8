import datetime as dt

from django.core.management import call_command
from django.test import Client

from apps.accounts.models import User
from apps.grid.models import Household, Zone
from apps.grid.selectors import grid_coverage
from apps.mediation.selectors import bulletin
from apps.members.models import Member
from apps.orgs.models import Organization


def test_loaddemo_is_idempotent_and_gives_scoped_logins(db):
    call_command("loaddemo")
    counts = (Organization.objects.count(), Member.objects.count())
    call_command("loaddemo")
    assert (Organization.objects.count(), Member.objects.count()) == counts
    assert counts[1] > 2000
    assert Organization.objects.filter(name__contains="松下家电").exists()
    assert Organization.objects.filter(parent__name="开发区机关党委").count() >= 19

    totals = {}
    for username in ("demo-admin", "demo-committee", "demo-secretary", "demo-member"):
        user = User.objects.get(username=username)
        assert user.check_password("Xianfeng@2026")
        client = Client()
        client.force_login(user)
        totals[username] = client.get("/").context["figures"]["stats"]["members.total"].value
    assert (
        totals["demo-admin"]
        > totals["demo-committee"]
        > totals["demo-secretary"]
        > totals["demo-member"]
        == 1
    )

    # The mediation platform shows the figures of its first report (收案816件，受理813件，调解率99.5%).
    report = bulletin(dt.date(2026, 1, 1), dt.date(2026, 8, 31))
    assert (report["received"], report["accepted"], report["mediation_rate"]) == (816, 813, 0.9951)
    assert report["judicially_confirmed"] == 0 and len(report["overdue_institutions"]) == 2
    client = Client()
    client.force_login(User.objects.get(username="demo-mediator"))
    assert client.get("/mediation/").context["page"].paginator.count > 100

    # The liaison grid sits on the demo's communities, with gaps for the coverage figures to show.
    households = Household.objects.count()
    assert 600 <= households <= 1000
    assert set(Zone.objects.values_list("org__name", flat=True)) == {
        "上沙社区党委",
        "东湾社区党总支",
        "滙澜社区党委",
        "早城社区党总支",
    }
    figures = grid_coverage()
    assert figures["without_liaison"] and figures["liaisons_over_limit"] >= 2 and figures["not_visited"]
    admin = Client()
    admin.force_login(User.objects.get(username="demo-admin"))
    assert admin.get("/").context["figures"]["stats"]["grid.households"].value == households
