"""Star ratings, honours and the secretaries' reports: judged from above, scoped, with history."""

import pytest
from django.http import Http404
from django.utils import timezone

from apps.appraisal import services
from apps.appraisal.models import Honor, StarRating, WorkReport
from apps.core.errors import DomainError
from apps.core.workflow import events_of

YEAR = timezone.localdate().year
CONTENT = "本年度坚持“三会一课”制度，全年召开支部党员大会4次，发展党员2名，党费按月足额收缴。"


def test_stars_count_the_standards_met_and_show_on_the_organization(zone, committee_user, client_for):
    rating = services.rate(
        actor=committee_user,
        org_id=zone["a1"].pk,
        year=YEAR,
        criteria=["setup", "life", "role"],
        note="清单全年无红色事项",
    )
    assert rating.stars == 3
    zone["a1"].refresh_from_db()
    assert zone["a1"].star_rating == 3
    services.rate(
        actor=committee_user,
        org_id=zone["a1"].pk,
        year=YEAR,
        criteria=["setup", "team", "life", "management", "role"],
        note="复评",
    )
    assert StarRating.objects.get().stars == 5
    body = client_for(committee_user).get(f"/orgs/{zone['a1'].pk}/").content.decode()
    assert 'data-testid="org-honors"' in body and "评定5星" in body


def test_nobody_rates_their_own_organization_or_another_subtree(zone, committee_user, secretary_user):
    with pytest.raises(DomainError) as exc:
        services.rate(actor=committee_user, org_id=zone["a"].pk, year=YEAR, criteria=["setup"], note="x")
    assert "本组织" in exc.value.message
    with pytest.raises(Http404):
        services.rate(actor=committee_user, org_id=zone["b1"].pk, year=YEAR, criteria=["setup"], note="x")
    with pytest.raises(Http404):
        services.rate(actor=secretary_user, org_id=zone["a1"].pk, year=YEAR, criteria=["setup"], note="x")
    for bad in ({"criteria": []}, {"criteria": ["gold"]}, {"note": " "}, {"year": 1999}, {"year": YEAR + 1}):
        with pytest.raises(DomainError):
            services.rate(
                **{
                    "actor": committee_user,
                    "org_id": zone["a1"].pk,
                    "year": YEAR,
                    "criteria": ["setup"],
                    "note": "依据",
                    **bad,
                }
            )
    assert not StarRating.objects.exists()


def test_honours_once_a_year_and_the_strongest_is_a_branch(zone, admin_user):
    services.honor(actor=admin_user, org_id=zone["a1"].pk, kind="strongest", year=YEAR, note="全区评选")
    zone["a1"].refresh_from_db()
    assert zone["a1"].is_strongest_branch
    with pytest.raises(DomainError):
        services.honor(actor=admin_user, org_id=zone["a1"].pk, kind="strongest", year=YEAR, note="再次")
    with pytest.raises(DomainError):
        services.honor(actor=admin_user, org_id=zone["a"].pk, kind="strongest", year=YEAR, note="党委")
    services.honor(actor=admin_user, org_id=zone["a"].pk, kind="demo_site", year=YEAR, note="示范点")
    assert Honor.objects.count() == 2


def test_a_secretary_reports_and_the_committee_appraises_with_history(
    zone, secretary_user, committee_user, admin_user
):
    report = services.submit_report(
        actor=secretary_user, org_id=zone["a1"].pk, year=YEAR, secretary="王书记", content=CONTENT
    )
    assert report.state == "submitted" and report.due_date is not None
    with pytest.raises(DomainError):
        services.submit_report(
            actor=secretary_user, org_id=zone["a1"].pk, year=YEAR, secretary="王书记", content=CONTENT
        )
    assert list(services.pending_for(committee_user)) == [report]
    assert not services.pending_for(secretary_user).exists()
    with pytest.raises(DomainError):
        services.appraise(actor=committee_user, report_id=report.pk, grade="fair", comment="")
    services.appraise(actor=committee_user, report_id=report.pk, grade="excellent", comment="成效明显")
    report.refresh_from_db()
    assert (report.state, report.grade, report.due_date) == ("appraised", "excellent", None)
    assert [e.action for e in events_of(report)] == ["submit", "appraise"]
    with pytest.raises(DomainError):
        services.appraise(actor=admin_user, report_id=report.pk, grade="good", comment="")


def test_pages_and_api_show_only_the_scope(
    zone, secretary_user, committee_user, admin_user, client_for, client
):
    services.submit_report(
        actor=secretary_user, org_id=zone["a1"].pk, year=YEAR, secretary="王书记", content=CONTENT
    )
    services.rate(actor=admin_user, org_id=zone["b1"].pk, year=YEAR, criteria=["setup"], note="乙")
    page = client_for(committee_user).get(f"/appraisal/?tab=reports&year={YEAR}").content.decode()
    assert "待我评议" in page
    stars = client_for(committee_user).get(f"/appraisal/?tab=stars&year={YEAR}").content.decode()
    assert "乙一支部" not in stars
    client.force_login(committee_user)
    assert client.get(f"/api/v1/appraisal/ratings?year={YEAR}").json() == []
    report_id = WorkReport.objects.get().pk
    response = client.post(
        f"/api/v1/appraisal/reports/{report_id}/appraise", {"grade": "good"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["state"] == "appraised"
    outsider = client_for(admin_user)
    assert outsider.get(f"/appraisal/reports/{report_id}/").status_code == 200
    client.force_login(secretary_user)
    assert (
        client.post(
            "/api/v1/appraisal/ratings",
            {"org": zone["a1"].pk, "year": YEAR, "criteria": ["setup"], "note": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
