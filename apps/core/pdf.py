"""PDF helpers: a Chinese font that prints everywhere.

An installed TrueType CJK font (Debian's fonts-wqy-microhei, or XF_PDF_FONT) is embedded; without
one, ReportLab's built-in CID font STSong-Light is used, which shows wherever the reader has Chinese
fonts but is not embedded.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """The registered font name to draw Chinese text with."""
    configured = os.environ.get("XF_PDF_FONT", "")
    for path in ([configured] if configured else []) + list(CANDIDATES):
        if path and Path(path).is_file():
            try:
                pdfmetrics.registerFont(TTFont("XFChinese", path, subfontIndex=0))
            except Exception:  # noqa: S112 — a broken font file: try the next one
                continue
            return "XFChinese"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"
