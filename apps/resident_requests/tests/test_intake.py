"""The list's 片区 filter offers only zones the user may see; the public form's address and QR code
for notices; a request raised from a visit-log entry of a household."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from apps.core.testing.factories import UserFactory
from apps.resident_requests.models import ResidentRequest

from .helpers import VALUES

pytestmark = pytest.mark.django_db


def _zone_options(html: str) -> set[str]:
    select = re.search(r'<select[^>]*name="zone"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    return set(re.findall(r">([^<]+)</option>", select.group(1))) - {"全部片区"}


def test_the_zone_filter_offers_each_user_only_the_zones_they_may_see(
    client, zone, admin_user, committee_user, depts, grid, grid_leader, world
):
    expected = {
        admin_user: {"甲社区", "乙社区"},
        committee_user: {"甲社区"},  # committee A's grid
        grid_leader: {"乙社区"},  # committee B's grid
        grid["leader"]: {"甲社区"},  # leads zone A
        grid["liaison_user"]: {"甲社区"},  # the zone of their own request
        depts["staff"]["CGK"]: {"甲社区"},  # the zone of the requests routed to 城管科
        depts["staff"]["PAB"]: {"乙社区"},
    }
    for user, zones in expected.items():
        client.force_login(user)
        assert _zone_options(client.get("/requests/?tab=all").content.decode()) == zones, user.username


def test_the_zone_filter_of_another_zone_shows_nothing_foreign(client, zone, depts, grid, world):
    client.force_login(grid["liaison_user"])
    html = client.get(f"/requests/?tab=all&zone={grid['zone_b'].pk}").content.decode()
    assert "乙社区噪音扰民" not in html and "联合办理的诉求" not in html


def test_staff_find_the_public_forms_address_and_qr_code_to_print(client, zone, admin_user, depts, grid):
    client.force_login(admin_user)
    listing = client.get("/requests/").content.decode()
    assert 'href="/requests/poster/"' in listing
    html = client.get("/requests/poster/").content.decode()
    assert "http://testserver/requests/submit/" in html
    qr = re.search(r'data-testid="submit-qr">(.*?)</div>', html, re.S)
    assert qr is not None and qr.group(1).lstrip().startswith("<svg") and "<path" in qr.group(1)
    assert "打印" in html
    client.force_login(grid["liaison_user"])  # a liaison can print it too (their requests list shows)
    assert client.get("/requests/poster/").status_code == 200
    client.force_login(UserFactory(username="nobody"))
    assert client.get("/requests/poster/").status_code == 404


def _visit(household, needs: str, content: str = "入户了解近况"):  # type: ignore[no-untyped-def]
    from apps.grid.models import Visit

    return Visit.objects.create(
        household=household, visited_on=dt.date(2026, 3, 2), content=content, needs=needs
    )


def test_a_visit_prefills_the_request_for_its_household_and_is_recorded(client, zone, depts, grid):
    visit = _visit(grid["house_a"], "楼道灯坏了一个月，晚上老人上下楼看不见。希望尽快修好。")
    client.force_login(grid["liaison_user"])
    url = f"/requests/new/?household={grid['house_a'].pk}&visit={visit.pk}"
    html = client.get(url).content.decode()
    assert 'value="visit" selected' in html
    assert 'name="title" class="form-control " maxlength="80" value="楼道灯坏了一个月"' in html
    assert "楼道灯坏了一个月，晚上老人上下楼看不见。希望尽快修好。</textarea>" in html
    assert f'name="visit" value="{visit.pk}"' in html
    response = client.post(
        url,
        {**VALUES, "submitter_phone": "", "household": grid["house_a"].pk, "visit": visit.pk, "channel": "visit",
         "title": "楼道灯坏了一个月", "content": visit.needs},
    )  # fmt: skip
    assert response.status_code == 302
    created = ResidentRequest.objects.get(title="楼道灯坏了一个月")
    assert created.channel == "visit" and created.visit == visit and created.household == grid["house_a"]


def test_a_visit_of_another_household_prefills_nothing_and_is_refused(client, zone, depts, grid):
    other = _visit(grid["house_a2"], "想申请助餐服务")
    client.force_login(grid["liaison_user"])
    html = client.get(f"/requests/new/?household={grid['house_a'].pk}&visit={other.pk}").content.decode()
    assert "想申请助餐服务" not in html and 'name="visit"' not in html
    from apps.core.errors import DomainError
    from apps.resident_requests import services

    with pytest.raises(DomainError):
        services.submit_staff(
            actor=grid["liaison_user"], channel="visit", values=VALUES, household_id=grid["house_a"].pk,
            visit_id=other.pk,
        )  # fmt: skip
    assert not ResidentRequest.objects.exists()


def test_a_visit_of_a_household_the_user_may_not_see_is_not_found(client, zone, depts, grid):
    visit = _visit(grid["house_b"], "噪音扰民")
    client.force_login(grid["liaison_user"])
    assert client.get(f"/requests/new/?household={grid['house_b'].pk}&visit={visit.pk}").status_code == 404


def test_a_visit_without_needs_takes_its_notes_and_the_api_records_the_visit(client, zone, depts, grid):
    visit = _visit(grid["house_a"], "", content="反映小区路面坑洼，雨天积水")
    client.force_login(grid["liaison_user"])
    html = client.get(f"/requests/new/?household={grid['house_a'].pk}&visit={visit.pk}").content.decode()
    assert 'value="反映小区路面坑洼"' in html
    response = client.post(
        "/api/v1/requests",
        {**VALUES, "channel": "visit", "household_id": grid["house_a"].pk, "visit_id": visit.pk},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["visit_id"] == visit.pk
