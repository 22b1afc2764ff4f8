"""Fills the request context (user, address, request id) into every django-simple-history row,
including rows written by background jobs, which have no request."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from apps.core.context import current


@receiver(pre_create_historical_record)
def fill_history_context(sender: Any, instance: Any, history_instance: Any, **kwargs: Any) -> None:
    ctx = current()
    if ctx is None:
        return
    history_instance.ip_address = ctx.ip_address
    history_instance.request_id = ctx.request_id
    if history_instance.history_user_id is None and ctx.user_id is not None:
        history_instance.history_user_id = ctx.user_id


def stamp(instance: Any, actor: Any, reason: str) -> None:
    """Marks who changes a row and why, for the history row its save() writes."""
    instance._change_reason = reason
    from django.contrib.auth.models import AbstractBaseUser

    if isinstance(actor, AbstractBaseUser):
        instance._history_user = actor
