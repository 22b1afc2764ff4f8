"""Factories for tests: organizations in a real tree, members with valid IDs, users with grants."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import factory
from django.utils import timezone

from apps.accounts.models import RoleGrant, User
from apps.core.demo import identities
from apps.members.models import Member
from apps.members.services import apply_clean, bulk_register
from apps.members.validation import validate_member
from apps.orgs.models import Organization, encode_segment

_rng = random.Random(7)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "Test@12345678")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            self.save()


def make_org(
    name: str, org_type: str = "branch", parent: Organization | None = None, **fields: Any
) -> Organization:
    """Creates an organization directly (tests of the services create theirs through org_create)."""
    org = Organization.objects.create(
        name=name,
        org_type=org_type,
        parent=parent,
        depth=(parent.depth + 1) if parent else 1,
        path=f"tmp{_rng.random()}",
        **fields,
    )
    org.path = (parent.path if parent else "") + encode_segment(org.pk)
    Organization.objects.filter(pk=org.pk).update(path=org.path)
    return org


def grant(user: User, role: str, org: Organization) -> User:
    RoleGrant.objects.create(user=user, role=role, org=org)
    if hasattr(user, "_xf_scope"):
        del user._xf_scope
    return user


def new_citizen_id(birth: dt.date | None = None, gender: str | None = None) -> str:
    birth = birth or dt.date(_rng.randint(1950, 2000), _rng.randint(1, 12), _rng.randint(1, 28))
    return identities.citizen_id(
        _rng, birth, gender or _rng.choice(["male", "female"]), sequence=_rng.randrange(100)
    )


def member_values(org: Organization, **overrides: Any) -> dict[str, Any]:
    if "citizen_id" in overrides and "birth_date" not in overrides:
        from apps.core.errors import DomainError
        from apps.core.identity import parse_citizen_id

        try:
            parsed = parse_citizen_id(overrides["citizen_id"])
        except DomainError:
            pass  # an invalid ID on purpose: the test checks how it is refused
        else:
            overrides.setdefault("birth_date", parsed.birth_date)
            overrides.setdefault("gender", parsed.gender)
    if "admission_date" in overrides and overrides["admission_date"] and "birth_date" not in overrides:
        admitted = overrides["admission_date"]
        overrides["birth_date"] = dt.date(
            admitted.year - _rng.randint(20, 40), _rng.randint(1, 12), _rng.randint(1, 28)
        )
    birth = overrides.pop("birth_date", None) or dt.date(
        _rng.randint(1955, 1995), _rng.randint(1, 12), _rng.randint(1, 28)
    )
    gender = overrides.pop("gender", None) or _rng.choice(["male", "female"])
    admission = birth.replace(year=birth.year + 25)
    values: dict[str, Any] = {
        "name": identities.person_name(_rng)[0],
        "citizen_id": overrides.pop("citizen_id", None) or new_citizen_id(birth, gender),
        "ethnicity": "汉族",
        "education": "bachelor",
        "phone": identities.phone(_rng),
        "org": org,
        "party_group": None,
        "work_unit": "测试单位",
        "position": "",
        "admission_date": admission,
        "full_membership_date": admission.replace(year=admission.year + 1),
        "category": "employed",
    }
    values.update(overrides)
    return values


def make_member(org: Organization, *, user: User | None = None, **overrides: Any) -> Member:
    """A member written directly (with history), bypassing scope checks."""
    clean, errors = validate_member(member_values(org, **overrides), today=timezone.localdate())
    assert not errors, errors
    assert clean is not None
    member = Member()
    apply_clean(member, clean)
    bulk_register([member], [clean], None)
    if user is not None:
        Member.objects.filter(pk=member.pk).update(user=user)
    return Member.objects.select_related("org").get(pk=member.pk)


def make_members(org: Organization, count: int, **overrides: Any) -> list[Member]:
    prepared, cleans = [], []
    for _ in range(count):
        clean, errors = validate_member(member_values(org, **overrides), today=timezone.localdate())
        assert not errors and clean is not None, errors
        m = Member()
        apply_clean(m, clean)
        prepared.append(m)
        cleans.append(clean)
    bulk_register(prepared, cleans, None)
    return prepared
