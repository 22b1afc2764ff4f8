"""The home page and the big screen carry the grassroots-governance figures, each linked to its list."""

from __future__ import annotations

import pytest

from apps.grid.models import Group, Household, Zone
from apps.mediation.tests.helpers import institution, received_case
from apps.resident_requests.tests.helpers import public_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def governance(zone):
    grid_zone = Zone.objects.create(org=zone["a"], org_path=zone["a"].path, code="A01", name="甲社区第一片")
    group = Group.objects.create(zone=grid_zone, code="1", name="一组")
    for n in range(3):
        Household.objects.create(
            zone=grid_zone,
            group=group,
            org_path=grid_zone.org_path,
            code=f"A01-{n}",
            address=f"{n}号",
            head_name="户主",
        )
    received_case(institution("下沙街道人民调解委员会"), key="k")
    public_request()
    return grid_zone


def test_the_home_page_shows_requests_grid_and_mediation_figures(client_for, admin_user, governance):
    page = client_for(admin_user).get("/")
    stats = page.context["figures"]["stats"]
    assert stats["grid.households"].value == 3 and stats["grid.without_liaison"].value == 3
    assert stats["mediation.received"].value == 1 and stats["requests.received"].value == 1
    body = page.content.decode()
    for testid in ("gov-requests", "gov-grid", "gov-mediation"):
        assert f'data-testid="{testid}"' in body
    assert stats["grid.without_liaison"].link in body


def test_the_big_screen_shows_the_governance_row(client_for, admin_user, governance):
    body = client_for(admin_user).get("/screen/").content.decode()
    assert 'data-testid="screen-governance"' in body and "在册住户" in body and "调解率" in body


def test_a_branch_secretary_sees_no_governance_figures_outside_their_scope(
    client_for, secretary_user, governance
):
    stats = client_for(secretary_user).get("/").context["figures"]["stats"]
    assert "mediation.received" not in stats
    assert stats.get("grid.households") is None or stats["grid.households"].value == 0
    assert stats.get("requests.received") is None or stats["requests.received"].value == 0


def test_a_mediators_home_shows_mediation_and_no_party_charts(client_for, zone):
    from apps.mediation.tests.helpers import mediator

    inst = institution("白杨街道人民调解委员会")
    user, _ = mediator(inst, "by-mediator", admin=True)
    received_case(inst, key="m")
    page = client_for(user).get("/")
    body = page.content.decode()
    assert page.context["figures"]["party"] is False
    assert 'data-testid="gov-mediation"' in body and 'data-testid="kpi-members"' not in body
    assert 'data-series="status"' not in body


def test_the_grid_card_counts_liaisons_over_the_limit(client_for, admin_user, governance):
    body = client_for(admin_user).get("/").content.decode()
    assert "联系超限党员" in body
