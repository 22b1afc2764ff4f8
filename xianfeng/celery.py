"""Celery application. Without CELERY_BROKER_URL the product runs jobs itself (see apps.core.jobs)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianfeng.settings")

app = Celery("xianfeng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
