"""The calendar blueprint: every route, registered explicitly from the view modules."""

from flask import Blueprint

from portal.calendar import editing, feed_views, views

bp = Blueprint("calendar", __name__)
bp.add_url_rule("/kalender/", view_func=views.index, methods=["GET"])
bp.add_url_rule("/kalender/tidligere", view_func=views.past, methods=["GET"])
bp.add_url_rule("/kalender/maaned/<int:year>/<int:month>", view_func=views.month, methods=["GET"])
bp.add_url_rule("/kalender/<int:event_id>", view_func=views.event, methods=["GET"])
bp.add_url_rule("/kalender/<int:event_id>/<dato:day>", view_func=views.occurrence, methods=["GET"])
bp.add_url_rule(
    "/kalender/<int:event_id>/tilmeld",
    defaults={"day": None},
    view_func=views.register,
    methods=["POST"],
)
bp.add_url_rule(
    "/kalender/<int:event_id>/<dato:day>/tilmeld", view_func=views.register, methods=["POST"]
)
bp.add_url_rule(
    "/kalender/<int:event_id>/afmeld",
    defaults={"day": None},
    view_func=views.unregister,
    methods=["POST"],
)
bp.add_url_rule(
    "/kalender/<int:event_id>/<dato:day>/afmeld", view_func=views.unregister, methods=["POST"]
)
bp.add_url_rule(
    "/kalender/<int:event_id>/deltagere",
    defaults={"day": None},
    view_func=views.participants,
    methods=["GET"],
)
bp.add_url_rule(
    "/kalender/<int:event_id>/<dato:day>/deltagere", view_func=views.participants, methods=["GET"]
)
bp.add_url_rule(
    "/kalender/<int:event_id>/deltagere.csv",
    defaults={"day": None},
    view_func=views.participants_csv,
    methods=["GET"],
)
bp.add_url_rule(
    "/kalender/<int:event_id>/<dato:day>/deltagere.csv",
    view_func=views.participants_csv,
    methods=["GET"],
)
bp.add_url_rule("/kalender.ics", view_func=views.feed, methods=["GET"])
bp.add_url_rule("/kalender/<int:event_id>.ics", view_func=views.event_ics, methods=["GET"])
bp.add_url_rule("/kalender/abonnement", view_func=feed_views.subscription, methods=["GET"])
bp.add_url_rule("/kalender/abonnement/nyt-link", view_func=feed_views.renew, methods=["POST"])
bp.add_url_rule("/kalender/<token>.ics", view_func=feed_views.token_feed, methods=["GET"])
bp.add_url_rule("/kalender/<token>/mine.ics", view_func=feed_views.token_mine, methods=["GET"])
bp.add_url_rule("/kalender/ny", view_func=editing.new, methods=["GET", "POST"])
bp.add_url_rule("/kalender/<int:event_id>/rediger", view_func=editing.edit, methods=["GET", "POST"])
bp.add_url_rule("/kalender/<int:event_id>/flyt", view_func=editing.move, methods=["GET", "POST"])
bp.add_url_rule(
    "/kalender/<int:event_id>/<dato:day>/flyt", view_func=editing.move, methods=["GET", "POST"]
)
bp.add_url_rule("/kalender/<int:event_id>/aflys", view_func=editing.cancel, methods=["GET", "POST"])
bp.add_url_rule(
    "/kalender/<int:event_id>/<dato:day>/aflys", view_func=editing.cancel, methods=["GET", "POST"]
)
bp.add_url_rule("/kalender/<int:event_id>/slet", view_func=editing.delete, methods=["POST"])
