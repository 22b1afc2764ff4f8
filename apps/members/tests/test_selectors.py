import datetime as dt

import pytest
from django.utils import timezone

from apps.core.testing.factories import make_member, make_members
from apps.members.selectors import MemberFilters, filter_members, member_count, member_page


@pytest.fixture
def people(zone):
    return {
        "zhang": make_member(zone["a1"], name="张三", phone="13812345678"),
        "li4": make_member(zone["a1"], name="李四", phone="13987654321"),
        "li": make_member(zone["b1"], name="张小丽"),
    }


def names(user, **filters):
    return {m.name for m in filter_members(user, MemberFilters(**filters))}


def test_pinyin_initials_find_the_name(people, admin_user):
    assert names(admin_user, q="zs") == {"张三"}
    assert names(admin_user, q="ZS") == {"张三"}
    assert names(admin_user, q="zhang") == {"张三", "张小丽"}


def test_name_prefix_id_tail_full_id_and_phone(people, admin_user):
    zhang = people["zhang"]
    assert names(admin_user, q="张") == {"张三", "张小丽"}
    assert names(admin_user, q=zhang.citizen_id_last4) >= {"张三"}
    from apps.core import crypto

    assert names(admin_user, q=crypto.decrypt(zhang.citizen_id_encrypted)) == {"张三"}
    assert names(admin_user, q="1381234") == {"张三"}


def test_search_never_crosses_the_scope(people, committee_user):
    assert names(committee_user, q="zhang") == {"张三"}
    assert names(committee_user, q="张小丽") == set()


def test_filter_by_an_organization_outside_the_scope_finds_nothing(people, zone, committee_user):
    assert names(committee_user, org=zone["b1"].pk) == set()
    assert names(committee_user, org=zone["a"].pk) == {"张三", "李四"}


def test_filters_by_status_category_gender_age_and_year(zone, admin_user):
    today = timezone.localdate()
    young = make_member(
        zone["a1"],
        name="青年",
        birth_date=dt.date(today.year - 25, 1, 1),
        admission_date=dt.date(today.year - 2, 3, 1),
        full_membership_date=None,
        gender="female",
    )
    make_member(
        zone["a1"],
        name="老同志",
        birth_date=dt.date(today.year - 75, 1, 1),
        category="retired",
        gender="male",
    )
    assert names(admin_user, status="probationary") == {"青年"}
    assert names(admin_user, category="retired") == {"老同志"}
    assert names(admin_user, gender="female") == {"青年"}
    assert names(admin_user, age_band="upto30") == {"青年"}
    assert names(admin_user, age_band="over70") == {"老同志"}
    assert names(admin_user, join_year=young.admission_date.year) == {"青年"}


def test_deceased_are_hidden_unless_asked_for(zone, admin_user):
    make_member(zone["a1"], name="故去", category="deceased")
    assert "故去" not in names(admin_user)
    assert "故去" in names(admin_user, include_inactive=True)
    assert "故去" in names(admin_user, category="deceased")


def test_keyset_pages_walk_forward_and_back_without_gaps(zone, admin_user):
    make_members(zone["a1"], 45)
    filters = MemberFilters()
    seen = []
    page = member_page(admin_user, filters, None, 20)
    pages = [page]
    while page.next_cursor:
        page = member_page(admin_user, filters, page.next_cursor, 20)
        pages.append(page)
    seen = [m.pk for p in pages for m in p.items]
    assert len(seen) == len(set(seen)) == member_count(admin_user, filters) == 45
    back = member_page(admin_user, filters, pages[-1].prev_cursor, 20)
    assert [m.pk for m in back.items] == [m.pk for m in pages[-2].items]
    assert member_page(admin_user, filters, "garbage", 20).items == pages[0].items


@pytest.mark.parametrize("sort", ["name", "-admission_date", "admission_date", "birth_date", "-birth_date"])
def test_every_sort_pages_through_all_rows(zone, admin_user, sort):
    make_members(zone["a1"], 25)
    filters = MemberFilters(sort=sort)
    page = member_page(admin_user, filters, None, 20)
    rows = list(page.items)
    page = member_page(admin_user, filters, page.next_cursor, 20)
    rows += page.items
    assert len({m.pk for m in rows}) == 25


def test_pinyin_search_pages_match_initials_or_full_pinyin_in_order_without_repeats(
    zone, admin_user, committee_user
):
    # 杨洋 (yangyang, yy), 余音 (yuyin, yy), 于永 (yuyong, yy) match the initials; 杨 (yang) starts "ya…"
    # so "ya" matches full pinyin only; names in scope B must never appear for committee A.
    for _ in range(9):
        make_member(zone["a1"], name="杨洋")
        make_member(zone["a2"], name="余音")
        make_member(zone["b1"], name="于永")
    make_member(zone["a1"], name="叶亚")  # yeya, initials yy
    for user, term in ((admin_user, "yy"), (admin_user, "ya"), (committee_user, "yy"), (committee_user, "y")):
        filters = MemberFilters(q=term)
        expected = list(
            filter_members(user, filters).order_by("name_pinyin", "pk").values_list("pk", flat=True)
        )
        seen, page = [], member_page(user, filters, None, 5)
        pages = [page]
        seen += [m.pk for m in page.items]
        while page.next_cursor:
            page = member_page(user, filters, page.next_cursor, 5)
            pages.append(page)
            seen += [m.pk for m in page.items]
        assert seen == expected and expected
        # Walking back from the last page gives the page before it, in the same order.
        if len(pages) > 1:
            back = member_page(user, filters, pages[-1].prev_cursor, 5)
            assert [m.pk for m in back.items] == [m.pk for m in pages[-2].items]
