"""Contact persons' phone numbers: direct Danish numbers, stored as E.164 ("+4533663366") and
shown as "+45 33 66 33 66".

Only Danish numbers are accepted, and no extensions: the municipality's numbers are direct
8-digit numbers, a "+46 …" is far more often a mistyped "+45 …" than a Swedish work phone,
and an extension ("33 66 33 66 ext 12") cannot be dialled from the profile's link or a
phone's address book. The field's hint (``HINT``) says exactly this.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

HINT = (
    "Et direkte dansk nummer med 8 cifre, fx 33 66 33 66. Udenlandske numre og lokalnumre "
    "kan ikke bruges."
)
INVALID = "Skriv et dansk telefonnummer med 8 cifre, fx 33 66 33 66 eller +45 33 66 33 66."
EXTENSION = (
    "Portalen kan ikke gemme et lokalnummer. Skriv et direkte nummer med 8 cifre, "
    "fx 33 66 33 66, uden lokalnummer."
)
FOREIGN = (
    "Skriv et dansk telefonnummer (+45) med 8 cifre. Udenlandske numre kan ikke bruges i portalen."
)
# What a Danish number may be written with besides digits: "+45 (33) 66-33.66".
PLAIN = re.compile(r"[\d\s+()./-]*")


@lru_cache(maxsize=4096)  # a directory page shows twenty, and parsing is most of a card
def format_phone(e164: str | None) -> str:
    """'+4512345678' -> '+45 12 34 56 78'; anything else as it is."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "DK")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def clean_phone(value: str) -> tuple[str, str | None]:
    """A typed number as E.164, or the typed value and the Danish message saying why not."""
    if not value:
        return "", None
    try:
        number = phonenumbers.parse(value, "DK")
    except phonenumbers.NumberParseException:
        return value, INVALID
    if number.extension:
        return value, EXTENSION
    # phonenumbers reads letters as a keypad's digits ("3366 ABCD"): here they are a mistake.
    if not PLAIN.fullmatch(value) or not phonenumbers.is_valid_number(number):
        return value, INVALID
    if phonenumbers.region_code_for_number(number) != "DK":
        return value, FOREIGN
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None
