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
# What a form with a photo may send: a camera's photo (often 8-20 MB) must reach the form, so
# that it is refused next to its field with the rest of the form kept, not by a bare 413 page.
REQUEST_LIMIT = 40 * 1024 * 1024
MAX_SIDE = 4096  # pixels, each way; read from the header, before any pixel is decoded
SIZE = (480, 480)
TOO_LARGE = f"Billedet har for mange pixel: højst {MAX_SIDE} × {MAX_SIDE}. Gør det mindre."


def too_many_bytes(size: int) -> str | None:
    """The Danish message if a file of ``size`` bytes is too large for a photo."""
    if size <= MAX_BYTES:
        return None
    megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
    return (
        f"Billedet er for stort ({megabytes} MB). Det må fylde højst 5 MB. Vælg et mindre "
        "billede, eller gem det i en lavere opløsning."
    )


def _without_metadata(picture: Image.Image) -> Image.Image:
    """The pixels only: a new image has no ``info``, so no EXIF, ICC profile, XMP or JPEG
    comment (COM) can be written with it."""
    clean = Image.new("RGB", picture.size)
    clean.paste(picture)
    return clean


def reencode(data: bytes) -> bytes:
    """A JPEG, PNG or WebP as a JPEG of at most ``SIZE``, turned upright, with no metadata.

    The size is read from the header (``Image.open`` decodes nothing), so an image over
    ``MAX_SIDE`` is refused before its pixels are decoded; Pillow's decompression-bomb guard
    stays on as well.

    :raises FieldErrors: for anything else, too large files or too many pixels.
    """
    if message := too_many_bytes(len(data)):
        raise FieldErrors({"photo": message})
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in FORMATS:
                raise FieldErrors({"photo": "Brug et foto i JPEG, PNG eller WebP."})
            if max(image.size) > MAX_SIDE:
                raise FieldErrors({"photo": TOO_LARGE})
            picture = ImageOps.exif_transpose(image).convert("RGB")
            picture.thumbnail(SIZE)
            out = io.BytesIO()
            _without_metadata(picture).save(out, "JPEG", quality=85, optimize=True)
    except Image.DecompressionBombError as exc:
        raise FieldErrors({"photo": TOO_LARGE}) from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
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
    profile.updated_at = utcnow()
    audit.record(actor, "update", "contact", profile.id, "photo", "foto", None)
    db.session.flush()
    db.session.expire(profile, ["has_photo"])
