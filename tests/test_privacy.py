"""No CPR number reaches the database, however it is written, and none reaches the logs."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.cpr import contains_cpr
from portal.errors import ValidationError
from portal.extensions import db
from portal.news import services as news
from portal.news.models import NewsItem
from portal.search.querylog import clean_for_log

WRITTEN_AS = [
    "010190-1234",
    "0101901234",
    "01.01.90-1234",
    "01-01-90-1234",
    "010190 – 1234",  # an en dash with spaces
    "010190—1234",
    "01 01 90 1234",
    "010190/1234",
    "０１０１９０－１２３４",  # full-width digits and hyphen
    "0101\u200b90-\u20601234",  # zero-width characters
    "290200-1234",  # a leap day
]
NOT_CPR = [
    "1234567890",  # no date in the first six digits
    "320190-1234",
    "011390-1234",
    "ring 33 66 33 66",
    "+4512345678",
    "sag 2026-11-29",
    "år 2009–2011",
]


@pytest.mark.parametrize("text", WRITTEN_AS)
def test_every_way_of_writing_a_cpr_number_is_found(text):
    assert contains_cpr(f"Borgeren {text} har en sag")
    assert not contains_cpr(clean_for_log(f"søg {text}"))


@pytest.mark.parametrize("text", NOT_CPR)
def test_ordinary_numbers_are_not_taken_for_cpr_numbers(text):
    assert not contains_cpr(text)


@pytest.mark.parametrize("text", WRITTEN_AS[:4])
def test_the_flush_guard_refuses_what_a_service_did_not_check(app, text):
    """News checks its fields itself; the guard stops the same text when set directly."""
    with app.app_context():
        item = news.create(news.NewsData(title="Ren titel"), None)
        db.session.commit()
        item.summary = f"Om borgeren {text}"
        with pytest.raises(ValidationError, match="CPR"):
            db.session.flush()
        db.session.rollback()
        assert db.session.scalar(sa.select(NewsItem.summary)) == ""


def test_request_logs_never_hold_a_cpr_number(app, caplog):
    import logging

    logger = logging.getLogger("werkzeug")
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logger.info(
            '%s - - "%s" %s -', "127.0.0.1", "GET /soeg?q=borger+010190%2D1234 HTTP/1.1", 200
        )
        logger.info('"%s" %s', "GET /soeg?q=gr%C3%B8n+linie HTTP/1.1", 200)
    first, second = (r.getMessage() for r in caplog.records)
    assert not contains_cpr(first) and "/soeg?q=borger" in first
    assert second == '"GET /soeg?q=gr%C3%B8n+linie HTTP/1.1" 200'  # untouched


def test_request_logs_never_hold_an_invitation_token(app, caplog):
    import logging

    logger = logging.getLogger("gunicorn.access")
    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        logger.info('"GET /invitation/eyJ1c2VyIjo0fQ.Zk3x.abc-DEF_1 HTTP/1.1" 200')
    assert caplog.records[-1].getMessage() == '"GET /invitation/[skjult] HTTP/1.1" 200'


def test_request_logs_never_hold_a_password_reset_token(app, caplog):
    import logging

    logger = logging.getLogger("werkzeug")
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logger.info('"%s" %s', "POST /nulstil-adgangskode/eyJ1IjoyfQ.Zk3x.abc-DEF_1 HTTP/1.1", 200)
    message = caplog.records[-1].getMessage()
    assert message == '"POST /nulstil-adgangskode/[skjult] HTTP/1.1" 200'


def test_request_logs_never_hold_a_reminders_confirmation_token(app, caplog):
    import logging

    logger = logging.getLogger("gunicorn.access")
    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        logger.info('"GET /min-profil/bekraeft/eyJwIjo3fQ.Zk3x.abc-DEF_1 HTTP/1.1" 200')
    assert caplog.records[-1].getMessage() == '"GET /min-profil/bekraeft/[skjult] HTTP/1.1" 200'


def test_a_redacted_request_line_keeps_the_rest_of_the_line(app, caplog):
    """Only the address is decoded to find a CPR number in it: gunicorn's "+0000" stays."""
    import logging

    logger = logging.getLogger("gunicorn.access")
    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        logger.info('[01/Dec/2026:04:23:18 +0000] "GET /kontaktpersoner/010180-1234 HTTP/1.1" 404')
    message = caplog.records[-1].getMessage()
    assert message.startswith("[01/Dec/2026:04:23:18 +0000] ") and not contains_cpr(message)
    assert message.endswith(' HTTP/1.1" 404')


@pytest.mark.parametrize(
    "text",
    ["ring 30 13 01 07", "+45 30-13-01-07", "(+45) 30130107", "Kim.Hansen@kk.dk", "a@b.dk"],
)
def test_the_query_log_keeps_no_phone_number_or_e_mail_address(text):
    """Search finds a person by their number or address; a citizen's may be typed as well, and
    the editors' statistics need neither."""
    kept = clean_for_log(f"hvem har {text}")
    assert not any(ch.isdigit() for ch in kept) and "@" not in kept, kept
    assert kept in ("hvem har", "hvem har ring"), kept


def test_the_query_log_keeps_short_numbers():
    assert clean_for_log("Serviceloven § 85 i 2026") == "serviceloven § 85 i 2026"
