"""The grid's files, shared by the pages and the JSON API: the liaison cards and the household file as PDF,
the households as Excel, and the Excel import. Each checks the caller's scope (404 outside it); a print or
export with full phone numbers is written to the access log, except a liaison's own phone on their own card.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.utils import timezone

from apps.core.audit import log_access
from apps.core.errors import DomainError
from apps.core.excel import check_upload
from apps.core.models import AccessAction
from apps.core.scoping import get_scope
from apps.grid import excel, pdf, selectors
from apps.grid.models import Household

MAX_UPLOAD = 10 * 1024 * 1024


def log_unmasked_print(actor: Any, target_type: str, target_id: int, label: str, org_path: str) -> None:
    log_access(user=actor, action=AccessAction.EXPORT_UNMASKED, target_type=target_type, target_id=target_id,
               target_label=label, org_path=org_path, detail={"print": "pdf"})  # fmt: skip


def liaison_card(actor: Any, member_id: Any, *, unmasked: bool = False) -> tuple[bytes, str]:
    """民情联系卡 of one liaison, from the households the actor sees. With `unmasked` the liaison's phone
    is printed in full: logged, unless the actor is that liaison."""
    try:
        pk = int(member_id)
    except (TypeError, ValueError):
        raise Http404("没有该党员联系的住户") from None
    households = list(
        selectors.households_for(actor)
        .filter(liaison_id=pk, is_active=True)
        .select_related("zone", "group", "liaison__org")
        .order_by("zone__code", "group__code", "code")
    )
    member = households[0].liaison if households else None
    if member is None:
        raise Http404("没有该党员联系的住户")
    zones = list({h.zone_id: h.zone for h in households}.values())
    if unmasked and member.pk != get_scope(actor).member_id:
        log_unmasked_print(actor, "member", member.pk, f"{member.name}民情联系卡", member.org_path)
    data = pdf.render_cards([pdf.Card(liaison=member, zones=zones, households=households)], unmasked=unmasked)
    return data, f"民情联系卡-{member.name}.pdf"


def zone_cards(actor: Any, zone_id: Any, *, unmasked: bool = False) -> tuple[bytes, str]:
    """The liaison cards of every liaison of a zone, one page each."""
    zone = selectors.access_zone(actor, zone_id)
    households = list(
        Household.objects.filter(zone=zone, is_active=True, liaison__isnull=False)
        .select_related("zone", "group", "liaison__org")
        .order_by("liaison__name_pinyin", "liaison_id", "code")
    )
    cards: dict[int, pdf.Card] = {}
    for h in households:
        if h.liaison is not None:
            cards.setdefault(
                h.liaison.pk, pdf.Card(liaison=h.liaison, zones=[zone], households=[])
            ).households.append(h)
    if unmasked:
        log_unmasked_print(actor, "grid.zone", zone.pk, f"{zone.name}民情联系卡", zone.org_path)
    return pdf.render_cards(cards.values(), unmasked=unmasked), f"民情联系卡-{zone.name}.pdf"


def household_file(actor: Any, household_id: Any, *, unmasked: bool = False) -> tuple[bytes, str]:
    """住户档案 (masked phones; `unmasked` prints them in full and is logged)."""
    household = selectors.access_household(actor, household_id)
    household = (
        Household.objects.select_related("zone", "group", "liaison")
        .prefetch_related("residents")
        .get(pk=household.pk)
    )
    visits = list(household.visits.select_related("liaison")[:12])
    if unmasked:
        log_unmasked_print(actor, "grid.household", household.pk, f"住户档案 {household}", household.org_path)
    return pdf.render_household(household, visits, unmasked=unmasked), f"住户档案-{household.code}.pdf"


def households_workbook(
    actor: Any, params: Mapping[str, Any], *, unmasked: bool = False
) -> tuple[bytes, str]:
    """The households matching the list's filters as Excel; every export is logged (masked or not)."""
    filters = selectors.HouseholdFilters.from_mapping(params)
    qs = (
        selectors.filter_households(selectors.households_for(actor), filters)
        .select_related("zone", "group", "liaison")
        .prefetch_related("residents")
    )
    path = Path(tempfile.mkstemp(suffix=".xlsx")[1])
    try:
        count = excel.export_households(qs.iterator(chunk_size=2000), path, unmasked=unmasked)
        data = path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
    log_access(
        user=actor, action=AccessAction.EXPORT_UNMASKED if unmasked else AccessAction.EXPORT_MASKED,
        target_type="grid.household", target_label=f"住户导出（{count}户）",
        detail={k: v for k, v in params.items() if k not in ("csrfmiddlewaretoken", "unmasked", "full")},
    )  # fmt: skip
    return data, f"住户-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def import_upload(actor: Any, upload: UploadedFile | None) -> excel.ImportResult:
    """Checks the upload (type, size, magic bytes) and imports it: every row checked first, nothing written
    when any row is wrong (the result then lists the errors)."""
    if not selectors.may_change_any(actor):
        raise Http404
    if upload is None:
        raise DomainError("excel.missing", "请选择要导入的文件", field="file")
    head = upload.read(8)
    upload.seek(0)
    check_upload(upload.name or "", head, upload.size or 0, MAX_UPLOAD)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        return excel.import_workbook(actor, Path(handle.name))
