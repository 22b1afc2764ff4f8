"""Uploaded files: only allowed types and sizes, checked by content, stored outside the web root."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from apps.core.errors import DomainError

# extension → (content type, magic bytes at the start of the file)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}
MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    name: str
    path: str
    size: int
    content_type: str


def store_upload(upload: Any, *, folder: str, max_bytes: int = MAX_BYTES) -> StoredFile:
    """Checks and stores an upload; refuses anything whose name, size or first bytes are wrong."""
    name = Path(str(upload.name)).name[:200]
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED:
        raise DomainError(
            "upload.type", "只允许上传 PDF、图片（JPG/PNG）、Word（.docx）或 Excel（.xlsx）文件", field="file"
        )
    if upload.size > max_bytes:
        raise DomainError("upload.size", f"文件不能超过 {max_bytes // (1024 * 1024)} MB", field="file")
    if upload.size == 0:
        raise DomainError("upload.empty", "文件是空的", field="file")
    content_type, magics = ALLOWED[suffix]
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in magics):
        raise DomainError("upload.content", "文件内容与扩展名不符，已拒绝", field="file")
    target_dir = Path(settings.PRIVATE_ROOT) / folder
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{uuid.uuid4().hex}{suffix}"
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return StoredFile(name=name, path=str(target), size=upload.size, content_type=content_type)


def store_all(uploads: list[Any], *, folder: str, max_bytes: int = MAX_BYTES) -> list[StoredFile]:
    """Stores every upload or none: one refused file removes those already written and refuses all."""
    stored: list[StoredFile] = []
    try:
        for upload in uploads:
            stored.append(store_upload(upload, folder=folder, max_bytes=max_bytes))
    except BaseException:
        discard(stored)
        raise
    return stored


def discard(stored: list[StoredFile]) -> None:
    """Removes stored files whose record was not saved after all (a refused form, a rolled-back write)."""
    for item in stored:
        Path(item.path).unlink(missing_ok=True)


def stored_file_response(path: str, name: str, content_type: str) -> Any:
    """Sends a stored upload as a download. The caller has checked that the user may see the record it
    belongs to; this refuses a path outside the private root (a tampered row) and a missing file, and
    tells the browser not to guess the type."""
    from django.http import FileResponse, Http404

    target = Path(path)
    if not target.is_file() or Path(settings.PRIVATE_ROOT).resolve() not in target.resolve().parents:
        raise Http404
    response = FileResponse(target.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
