"""Excel in and out, streaming (openpyxl read-only and write-only), with clear errors for bad files."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from apps.core.errors import DomainError

XLSX_MAGIC = b"PK\x03\x04"


def check_upload(name: str, head: bytes, size: int, max_bytes: int) -> None:
    """Refuses anything that is not a plausible .xlsx before it is parsed."""
    if not name.lower().endswith(".xlsx"):
        raise DomainError(
            "excel.extension", "只支持 .xlsx 格式的 Excel 文件（可在 Excel 中“另存为 .xlsx”）", field="file"
        )
    if size == 0:
        raise DomainError("excel.empty", "文件是空的", field="file")
    if size > max_bytes:
        raise DomainError("excel.too_large", f"文件超过 {max_bytes // (1024 * 1024)} MB", field="file")
    if not head.startswith(XLSX_MAGIC):
        raise DomainError("excel.not_xlsx", "文件内容不是有效的 Excel（.xlsx）文件", field="file")


class Sheet:
    """The first worksheet of a workbook, read row by row with headers matched by name."""

    def __init__(self, path: str | Path, *, required: Iterable[str], optional: Iterable[str] = ()):
        try:
            self.workbook = load_workbook(filename=str(path), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise DomainError(
                "excel.unreadable", "无法读取该 Excel 文件，请确认文件未损坏、未加密", field="file"
            ) from exc
        self.sheet = self.workbook.worksheets[0]
        rows = self.sheet.iter_rows(values_only=True)
        try:
            header_row = next(rows)
        except StopIteration:
            raise DomainError("excel.no_header", "第一行应为表头", field="file") from None
        self._rows = rows
        self.columns: dict[str, int] = {}
        for index, title in enumerate(header_row):
            key = re.sub(r"[\s*＊]", "", str(title or ""))
            if key and key not in self.columns:
                self.columns[key] = index
        missing = [h for h in required if h not in self.columns]
        if missing:
            raise DomainError(
                "excel.missing_columns", f"缺少必需的列：{'、'.join(missing)}（请使用导入模板）", field="file"
            )
        self.known = [h for h in (*required, *optional) if h in self.columns]

    @property
    def estimated_rows(self) -> int:
        return max(0, (self.sheet.max_row or 1) - 1)

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(Excel row number, {header: value}) for every non-empty row."""
        for offset, row in enumerate(self._rows, start=2):
            if row is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue
            yield (
                offset,
                {h: (row[i] if i < len(row) else None) for h, i in self.columns.items() if h in self.known},
            )

    def close(self) -> None:
        self.workbook.close()


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def to_date(value: Any) -> dt.date | None:
    """A cell as a date: real Excel dates, or text in the usual Chinese ways of writing one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 — a calendar date, not a time
        except ValueError:
            continue
    raise ValueError(text)


def to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text typed by users (often residents on a public page) must never become a formula when the
    exported sheet is opened: such text is written with a leading apostrophe."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B3121F")


def write_rows(
    path: str | Path,
    *,
    title: str,
    headers: list[str],
    rows: Iterable[list[Any]],
    widths: list[int] | None = None,
) -> int:
    """Writes one sheet in write-only mode; returns the number of data rows."""
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title)
    for index, width in enumerate(widths or []):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=h)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header_cells.append(cell)
    ws.append(header_cells)
    count = 0
    for row in rows:
        ws.append([safe_cell(v) for v in row])
        count += 1
    wb.save(str(path))
    return count
