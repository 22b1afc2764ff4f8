"""The fixed vocabularies of resident requests: categories, channels and the default handling times."""

from __future__ import annotations

from django.db import models


class Category(models.TextChoices):
    SANITATION = "sanitation", "环境卫生"
    PROPERTY = "property", "物业管理"
    MUNICIPAL = "municipal", "市政设施"
    SECURITY = "security", "治安安全"
    NEIGHBOUR = "neighbour", "邻里纠纷"
    WELFARE = "welfare", "社会保障"
    EMPLOYMENT = "employment", "就业创业"
    OTHER = "other", "其他"


class Channel(models.TextChoices):
    PUBLIC = "public", "网上提交"
    LIAISON = "liaison", "联户党员代办"
    HOTLINE = "hotline", "热线"
    VISIT = "visit", "走访"


# category → (working days to handle once routed, the department code it usually goes to)
DEFAULT_RULES: dict[str, tuple[int, str]] = {
    Category.SANITATION: (3, "CGK"),
    Category.PROPERTY: (5, "JSGLK"),
    Category.MUNICIPAL: (5, "JSGLK"),
    Category.SECURITY: (2, "PAB"),
    Category.NEIGHBOUR: (5, "PAB"),
    Category.WELFARE: (7, "SHSWK"),
    Category.EMPLOYMENT: (7, "SHSWK"),
    Category.OTHER: (5, ""),
}

# The departments of a street office most requests go to (created with the rules so they can be named).
DEFAULT_DEPARTMENTS: list[tuple[str, str]] = [
    ("CGK", "城管科"),
    ("SHSWK", "社会事务科"),
    ("PAB", "平安办（综治中心）"),
    ("JSGLK", "建设管理科"),
    ("SQFWZX", "社区服务中心"),
]

# Days a replied request waits for the resident's rating before it closes by itself.
RATING_WAIT_DAYS = 7
# Bounds of the text a resident may type (kept on the model as well as checked in the services).
TITLE_MAX = 80
CONTENT_MAX = 2000
REPLY_MAX = 2000
MAX_ATTACHMENTS = 3
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
