"""The directory: list, profile, vCard, CSV, JSON and photos. Editing is in manage.py."""

from __future__ import annotations

import csv
import io

import vobject
from flask import Response, jsonify, render_template, request

from portal import signals
from portal.administration import Administration, chosen_filter
from portal.contacts import services
from portal.contacts.models import ContactProfile
from portal.security import Role, role_required

PER_PAGE = 20


def _filters() -> services.Filters:
    args = request.args
    return services.Filters(
        administration=chosen_filter(args.get("forvaltning")),
        centre=args.get("center") or None,
        team=args.get("team") or None,
        area=args.get("omraade") or None,
        q=(args.get("q") or "")[:100],
    )


def _page() -> int:
    raw = request.args.get("side", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 1000 else 1


def directory():
    filters = _filters()
    people = services.directory(filters)
    page = _page()
    pages = max(1, -(-len(people) // PER_PAGE))
    return render_template(
        "contacts/directory.html",
        people=people[(page - 1) * PER_PAGE : page * PER_PAGE],
        total=len(people),
        page=page,
        pages=pages,
        filters=filters,
        choices=services.choices(),
        stale_before=services.stale_before(),
    )


def profile(profile_id: int):
    person = services.get_profile(profile_id)
    sections = signals.collect(signals.contact_profile, user_id=person.user_id)
    return render_template(
        "contacts/profile.html",
        person=person,
        sections=sections,
        stale=services.is_stale(person),
    )


def photo(profile_id: int):
    person = services.get_profile(profile_id)
    if not person.photo:
        return Response(status=404)
    response = Response(person.photo, mimetype="image/jpeg")  # always re-encoded JPEG
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["Content-Disposition"] = "inline"
    return response


def _vcard(person: ContactProfile) -> vobject.base.Component:
    card = vobject.vCard()
    card.add("fn").value = person.name
    parts = person.name.rsplit(" ", 1)
    card.add("n").value = vobject.vcard.Name(
        family=parts[-1], given=parts[0] if len(parts) > 1 else ""
    )
    card.add("email").value = person.email
    card.email.type_param = "WORK"
    if person.phone:
        card.add("tel").value = services.format_phone(person.phone)
        card.tel.type_param = "WORK"
    organisation = Administration(person.administration).long_name
    card.add("org").value = [organisation, *(p for p in (person.centre, person.team) if p)]
    if person.job_title:
        card.add("title").value = person.job_title
    if person.workplace:
        card.add("adr").value = vobject.vcard.Address(street=person.workplace)
        card.adr.type_param = "WORK"
    card.add("note").value = "BIF-SOF-kontaktperson" + (" (demodata)" if person.is_demo else "")
    return card


def _vcard_response(people: list[ContactProfile], filename: str) -> Response:
    body = "".join(_vcard(p).serialize() for p in people)
    return Response(
        body.encode("utf-8"),
        mimetype="text/vcard",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Type": "text/vcard; charset=utf-8",
        },
    )


def vcard(profile_id: int):
    return _vcard_response([services.get_profile(profile_id)], f"kontakt-{profile_id}.vcf")


def vcards():
    return _vcard_response(services.directory(_filters()), "kontaktpersoner.vcf")


def _as_dict(person: ContactProfile) -> dict:
    return {
        "id": person.id,
        "name": person.name,
        "job_title": person.job_title,
        "administration": person.administration,
        "centre": person.centre,
        "team": person.team,
        "workplace": person.workplace,
        "email": person.email,
        "phone": person.phone,
        "areas": person.area_names,
        "updated": person.updated_at.isoformat(),
        "url": f"/kontaktpersoner/{person.id}",
        "demo": person.is_demo,
    }


def api_contacts():
    people = services.directory(_filters())
    return jsonify({"total": len(people), "contacts": [_as_dict(p) for p in people]})


@role_required(Role.EDITOR)
def export_csv():
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            "Navn",
            "Stilling",
            "Forvaltning",
            "Center/enhed",
            "Team",
            "Arbejdssted",
            "E-mail",
            "Telefon",
            "Kan hjælpe med",
            "Bekræftet",
        ]
    )
    for p in services.directory(_filters()):
        row = [
            p.name,
            p.job_title,
            p.administration,
            p.centre,
            p.team,
            p.workplace,
            p.email,
            services.format_phone(p.phone),
            ", ".join(p.area_names),
            p.confirmed_at.date().isoformat(),
        ]
        # A cell starting with = + - @ would run as a formula in Excel: neutralise it.
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in row])
    return Response(
        "\ufeff" + out.getvalue(),  # BOM: Excel opens UTF-8 correctly
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="kontaktpersoner.csv"'},
    )
