from django.core.management import call_command
from django.test import Client

from apps.accounts.models import User
from apps.members.models import Member
from apps.orgs.models import Organization


def test_loaddemo_is_idempotent_and_gives_four_scoped_logins(db):
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
