"""Profile photos: accepted by their content, re-encoded as a small JPEG (no metadata
survives), stored in the database, never served under the user's file name."""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

from portal import audit
from portal.auth.models import User
from portal.contacts.models import ContactProfile
from portal.db import utcnow
from portal.errors import FieldErrors
from portal.extensions import db

FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
SIZE = (480, 480)


def reencode(data: bytes) -> bytes:
    """A JPEG, PNG or WebP as a JPEG of at most ``SIZE``, turned upright.

    :raises FieldErrors: for anything else, too large files or too many pixels.
    """
    if len(data) > MAX_BYTES:
        raise FieldErrors({"photo": "Billedet er for stort. Højst 5 MB."})
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in FORMATS:
                raise FieldErrors({"photo": "Brug et foto i JPEG, PNG eller WebP."})
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise FieldErrors({"photo": "Billedet har for mange pixel. Gør det mindre."})
            picture = ImageOps.exif_transpose(image).convert("RGB")
            picture.thumbnail(SIZE)
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        raise FieldErrors({"photo": "Filen er ikke et billede i JPEG, PNG eller WebP."}) from exc
    return out.getvalue()


def set_photo(profile: ContactProfile, data: bytes, actor: User) -> None:
    """:raises FieldErrors: if ``data`` is not an acceptable photo (see ``reencode``)."""
    profile.photo = reencode(data)
    profile.photo_version += 1
    profile.version += 1
    profile.updated_at = utcnow()
    audit.record(actor, "update", "contact", profile.id, "photo", None, "nyt foto")
    db.session.flush()
    db.session.expire(profile, ["has_photo"])


def remove_photo(profile: ContactProfile, actor: User) -> None:
    profile.photo = None
    profile.photo_version += 1
    profile.version += 1
    audit.record(actor, "update", "contact", profile.id, "photo", "foto", None)
    db.session.flush()
    db.session.expire(profile, ["has_photo"])
