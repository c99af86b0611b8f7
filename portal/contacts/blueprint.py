"""The contacts blueprint: every route, registered explicitly from the view modules."""

from flask import Blueprint

from portal.contacts import manage, views

bp = Blueprint("contacts", __name__)
bp.add_url_rule("/min-profil", view_func=manage.my_profile, methods=["GET", "POST"])
bp.add_url_rule("/min-profil/bekraeft", view_func=manage.confirm, methods=["POST"])
bp.add_url_rule("/min-profil/historik", view_func=manage.my_history, methods=["GET"])
bp.add_url_rule("/min-profil/data.json", view_func=manage.my_data, methods=["GET"])
bp.add_url_rule(
    "/kontaktpersoner/<int:profile_id>/rediger", view_func=manage.edit, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/kontaktpersoner/<int:profile_id>/historik", view_func=manage.history, methods=["GET"]
)
bp.add_url_rule("/kontaktpersoner/ny", view_func=manage.create, methods=["GET", "POST"])
bp.add_url_rule(
    "/kontaktpersoner/<int:profile_id>/inviter", view_func=manage.invite, methods=["POST"]
)
bp.add_url_rule(
    "/kontaktpersoner/<int:profile_id>/deaktiver", view_func=manage.deactivate, methods=["POST"]
)
bp.add_url_rule("/kontaktpersoner/<int:profile_id>/slet", view_func=manage.erase, methods=["POST"])
bp.add_url_rule("/kontaktpersoner/opfoelgning", view_func=manage.stale, methods=["GET"])
bp.add_url_rule("/invitation/<token>", view_func=manage.accept_invite, methods=["GET", "POST"])
bp.add_url_rule("/kontaktpersoner/", view_func=views.directory, methods=["GET"])
bp.add_url_rule("/kontaktpersoner/<int:profile_id>", view_func=views.profile, methods=["GET"])
bp.add_url_rule("/kontaktpersoner/<int:profile_id>/foto", view_func=views.photo, methods=["GET"])
bp.add_url_rule("/kontaktpersoner/<int:profile_id>.vcf", view_func=views.vcard, methods=["GET"])
bp.add_url_rule("/kontaktpersoner.vcf", view_func=views.vcards, methods=["GET"])
bp.add_url_rule("/api/contacts", view_func=views.api_contacts, methods=["GET"])
bp.add_url_rule("/kontaktpersoner.csv", view_func=views.export_csv, methods=["GET"])
