"""The contacts blueprint: every route, registered explicitly from the view modules."""

from flask import Blueprint

from portal.contacts import (
    directory_views,
    editor_views,
    invitation_views,
    lifecycle_views,
    profile_views,
    reminder_views,
    units_views,
)

bp = Blueprint("contacts", __name__)

# Reading the directory
bp.add_url_rule("/kontaktpersoner/", view_func=directory_views.directory, methods=["GET"])
bp.add_url_rule(
    "/kontaktpersoner/<int:profile_id>", view_func=directory_views.profile, methods=["GET"]
)
bp.add_url_rule(
    "/kontaktpersoner/<int:profile_id>/foto", view_func=directory_views.photo, methods=["GET"]
)
bp.add_url_rule(
    "/kontaktpersoner/<int:profile_id>.vcf", view_func=directory_views.vcard, methods=["GET"]
)
bp.add_url_rule("/kontaktpersoner.vcf", view_func=directory_views.vcards, methods=["GET"])
bp.add_url_rule("/api/contacts", view_func=directory_views.api_contacts, methods=["GET"])
bp.add_url_rule("/kontaktpersoner.csv", view_func=directory_views.export_csv, methods=["GET"])

# A contact person's own profile
bp.add_url_rule("/min-profil", view_func=profile_views.my_profile, methods=["GET", "POST"])
bp.add_url_rule("/min-profil/bekraeft", view_func=profile_views.confirm, methods=["POST"])
bp.add_url_rule(
    "/min-profil/bekraeft/<token>",
    view_func=reminder_views.confirm_by_link,
    methods=["GET", "POST"],
)
bp.add_url_rule("/min-profil/historik", view_func=profile_views.my_history, methods=["GET"])
bp.add_url_rule("/min-profil/data.json", view_func=profile_views.my_data, methods=["GET"])
# Before the CSRF check reads a photo form's body: a camera's photo may reach the form.
bp.url_value_preprocessor(profile_views.accept_photo_uploads)

# The special unit's work
bp.add_url_rule(
    "/kontaktpersoner/<int:profile_id>/rediger",
    view_func=editor_views.edit,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/kontaktpersoner/<int:profile_id>/historik", view_func=editor_views.history, methods=["GET"]
)
bp.add_url_rule("/kontaktpersoner/ny", view_func=editor_views.create, methods=["GET", "POST"])
bp.add_url_rule(
    "/kontaktpersoner/<int:profile_id>/inviter", view_func=editor_views.invite, methods=["POST"]
)
bp.add_url_rule(
    "/kontaktpersoner/<int:profile_id>/invitation",
    view_func=editor_views.invitation,
    methods=["GET"],
)
# Destructive actions: a GET asks first and says what will happen, the POST does it.
bp.add_url_rule(
    "/kontaktpersoner/<int:profile_id>/deaktiver",
    view_func=lifecycle_views.deactivate,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/kontaktpersoner/<int:profile_id>/slet",
    view_func=lifecycle_views.erase,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/kontaktpersoner/deaktiverede", view_func=lifecycle_views.deactivated, methods=["GET"]
)
bp.add_url_rule(
    "/kontaktpersoner/<int:profile_id>/genaktiver",
    view_func=lifecycle_views.reactivate,
    methods=["POST"],
)
bp.add_url_rule("/kontaktpersoner/opfoelgning", view_func=editor_views.stale, methods=["GET"])

# The invitation link
bp.add_url_rule(
    "/invitation/<token>", view_func=invitation_views.accept_invite, methods=["GET", "POST"]
)

# The editors' lists: centres, teams and "Kan hjælpe med" areas (issue 14 #4)
UNITS = "/redaktion/enheder"
for rule, endpoint, view, methods in [
    ("", "units", units_views.overview, ["GET"]),
    ("/centre", "units_add_centre", units_views.add_centre, ["POST"]),
    ("/teams", "units_add_team", units_views.add_team, ["POST"]),
    ("/centre/<int:entry_id>", "units_centre", units_views.centre, ["GET", "POST"]),
    ("/centre/<int:entry_id>/saml", "units_merge_centre", units_views.merge_centre, ["POST"]),
    ("/teams/<int:entry_id>", "units_team", units_views.team, ["GET", "POST"]),
    ("/teams/<int:entry_id>/saml", "units_merge_team", units_views.merge_team, ["POST"]),
    ("/teams/<int:entry_id>/godkend", "units_approve", units_views.approve, ["POST"]),
    ("/teams/<int:entry_id>/afvis", "units_reject", units_views.reject, ["POST"]),
    ("/omraader/saml", "units_merge_areas", units_views.merge_areas, ["POST"]),
]:
    bp.add_url_rule(UNITS + rule, endpoint=endpoint, view_func=view, methods=methods)
