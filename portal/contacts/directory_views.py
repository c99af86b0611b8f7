"""Reading the directory: the list, a profile, its photo, and the list as vCard, JSON and CSV.
Every output shows what ``presenter.visible`` lets the viewer see."""

from __future__ import annotations

from flask import Response, jsonify, render_template, request
from flask_login import current_user

from portal import signals
from portal.administration import FILTERS
from portal.contacts import formats, lists, profiles
from portal.contacts.directory import Filters, choices, listing, loaded, ordered
from portal.contacts.models import ContactProfile
from portal.contacts.presenter import ContactView, visible
from portal.security import Role, has_role, role_required

PER_PAGE = 20


def _filters() -> Filters:
    return Filters.from_args(request.args)


def _page() -> int:
    raw = request.args.get("side", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 1000 else 1


def _visible(people: list[ContactProfile]) -> list[ContactView]:
    return [visible(p, current_user) for p in people]


def directory():
    filters = _filters()
    found = ordered(filters)
    page = _page()
    return render_template(
        "contacts/directory.html",
        people=_visible(loaded(found[(page - 1) * PER_PAGE : page * PER_PAGE])),
        total=len(found),
        page=page,
        pages=max(1, -(-len(found) // PER_PAGE)),
        filters=filters,
        choices=choices(filters),
        pending_teams=len(lists.pending_teams()) if has_role(current_user, Role.EDITOR) else None,
        administrations=FILTERS,
    )


def profile(profile_id: int):
    person = profiles.get_profile(profile_id)
    sections = signals.collect(signals.contact_profile, user_id=person.user_id)
    return render_template(
        "contacts/profile.html", person=visible(person, current_user), sections=sections
    )


def photo(profile_id: int):
    person = profiles.get_profile(profile_id)
    if not person.photo:
        return Response(status=404)
    response = Response(person.photo, mimetype="image/jpeg")  # always re-encoded JPEG
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["Content-Disposition"] = "inline"
    return response


def _vcard_response(people: list[ContactProfile], filename: str) -> Response:
    return Response(
        formats.vcards(_visible(people)).encode("utf-8"),
        mimetype="text/vcard",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Type": "text/vcard; charset=utf-8",
        },
    )


def vcard(profile_id: int):
    return _vcard_response([profiles.get_profile(profile_id)], f"kontakt-{profile_id}.vcf")


def vcards():
    return _vcard_response(listing(_filters()), "kontaktpersoner.vcf")


def api_contacts():
    people = _visible(listing(_filters()))
    return jsonify({"total": len(people), "contacts": [formats.as_json(p) for p in people]})


@role_required(Role.EDITOR)
def export_csv():
    return Response(
        formats.csv_text(_visible(listing(_filters()))),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="kontaktpersoner.csv"'},
    )
