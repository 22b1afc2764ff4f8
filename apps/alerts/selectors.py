"""Whose alerts: those placed in the user's organization subtrees, and a member's own."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from apps.alerts.models import Alert, AlertRead
from apps.core.rules_engine import channels_of
from apps.core.scoping import Perm, get_scope


def alerts_for(user: Any) -> QuerySet[Alert]:
    scope = get_scope(user)
    condition = (
        scope.org_q(Perm.MEMBERS_VIEW, "org_path")
        if (scope.is_superuser or scope.paths(Perm.MEMBERS_VIEW))
        else Q(pk__in=[])
    )
    if scope.member_id is not None:
        condition |= Q(member_id=scope.member_id)
    channels = channels_of(user) if user is not None and user.is_authenticated else set()
    if channels:
        condition |= Q(channel__in=sorted(channels))
    return Alert.objects.filter(condition).annotate(
        is_read=Exists(AlertRead.objects.filter(alert=OuterRef("pk"), user_id=user.pk))
    )


BADGE_CAP = 100


def unread_count(user: Any, cap: int | None = BADGE_CAP) -> int:
    """Unread open alerts, counted up to `cap`: the menu badge shows "99+" beyond it, and a zone with
    hundreds of thousands of open alerts must not count them all on every page."""
    qs = unread(alerts_for(user), user).order_by().values("pk")  # any 100 will do: no sort
    return qs[:cap].count() if cap else qs.count()


def unread(qs: QuerySet[Alert], user: Any) -> QuerySet[Alert]:
    """Open alerts the user has not read."""
    return qs.filter(resolved_at__isnull=True).exclude(reads__user_id=user.pk)


def access_alert(user: Any, alert_id: int) -> Alert:
    from django.http import Http404

    alert = alerts_for(user).filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    return alert
