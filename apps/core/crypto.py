"""Encryption at rest and keyed hashing for personal identifiers.

Citizen IDs are stored encrypted (Fernet: AES-128-CBC with HMAC-SHA256) beside a keyed hash
(HMAC-SHA256) that serves exact lookups and the uniqueness constraint without decrypting.
Both keys derive from XF_FIELD_KEY (or SECRET_KEY when that is unset) with HKDF, each for its purpose.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _master_key() -> bytes:
    return (settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY).encode()


@lru_cache(maxsize=4)
def _derive(purpose: str, master: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"xianfeng", info=purpose.encode()).derive(master)


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive("field-encryption", _master_key())))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def keyed_hash(value: str) -> str:
    key = _derive("lookup-hash", _master_key())
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def citizen_id_columns(number: str) -> dict[str, str]:
    """The stored form of a citizen ID: encrypted, keyed hash, last four digits, masked."""
    from apps.core.masking import mask_citizen_id

    return {
        "citizen_id_encrypted": encrypt(number),
        "citizen_id_hash": keyed_hash(number),
        "citizen_id_last4": number[-4:],
        "citizen_id_masked": mask_citizen_id(number),
    }
