"""SAML 2.0 service provider with pysaml2 (it signs and checks with Debian's ``xmlsec1``; the
maintained alternative, python3-saml, needs the compiled ``xmlsec`` binding; pysaml2 also
plays the IdP in the tests).

Checked on every response: the assertion's signature (signed assertions are required), the
audience (our entity id), the recipient and destination (our ACS address), the time window,
and that it answers a request this portal made and has not been answered before. Requests are
kept in the database (``SamlRequest``), not the session: the IdP posts the answer from another
site, and a SameSite=Lax session cookie does not come with that POST.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask, current_app
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID

from portal.db import utcnow
from portal.extensions import db
from portal.routing import absolute_url
from portal.sso.models import SamlRequest
from portal.sso.services import Identity, Refused, groups_from

# pysaml2's client, configuration and metadata modules build its XML schemas when imported
# (about a second of CPU): they are imported when SAML is first used, not by every worker.
if TYPE_CHECKING:
    from saml2.client import Saml2Client
    from saml2.config import SPConfig

REQUEST_LIFETIME = timedelta(minutes=15)
NOT_CONFIRMED = "Kommunens login kunne ikke bekræfte, hvem du er. Prøv igen."


def configured(app: Flask | None = None) -> bool:
    return bool((app or current_app).config.get("SAML_IDP_METADATA"))


def _metadata(source: str) -> dict[str, Any]:
    if source.startswith(("https://", "http://")):
        return {"remote": [{"url": source}]}
    if source.lstrip().startswith("<"):
        return {"inline": [source]}
    return {"local": [source]}


def origins(app: Flask) -> set[str]:
    """Where the login and logout redirects lead: the origins of the IdP's service locations
    in its metadata (or the metadata URL's origin, not fetched at start-up)."""
    source = app.config.get("SAML_IDP_METADATA") or ""
    if not source:
        return set()
    if source.startswith(("https://", "http://")):
        locations = [source]
    else:
        text = source if source.lstrip().startswith("<") else Path(source).read_text("utf-8")
        locations = re.findall(r'Location="(https?://[^"]+)"', text)
    return {f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" for url in locations}


def entity_id() -> str:
    return current_app.config.get("SAML_SP_ENTITY_ID") or absolute_url("sso.saml_metadata")


def _config() -> SPConfig:
    from saml2.config import SPConfig

    config = current_app.config
    settings = {
        "entityid": entity_id(),
        "key_file": config["SAML_SP_KEY"],
        "cert_file": config["SAML_SP_CERT"],
        "encryption_keypairs": [
            {"key_file": config["SAML_SP_KEY"], "cert_file": config["SAML_SP_CERT"]}
        ],
        "xmlsec_binary": config["SAML_XMLSEC_BINARY"],
        "metadata": _metadata(config["SAML_IDP_METADATA"]),
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": "BIF-SOF Portalen",
                "endpoints": {
                    "assertion_consumer_service": [
                        (absolute_url("sso.saml_acs"), BINDING_HTTP_POST)
                    ],
                    "single_logout_service": [
                        (absolute_url("sso.saml_logout"), BINDING_HTTP_REDIRECT)
                    ],
                },
                "want_assertions_signed": True,
                "want_response_signed": False,
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "allow_unsolicited": False,
                "name_id_format": NAMEID_FORMAT_PERSISTENT,
            }
        },
    }
    return SPConfig().load(settings)


def client() -> Saml2Client:
    from saml2.client import Saml2Client

    return Saml2Client(config=_config())


def metadata_xml() -> str:
    from saml2.metadata import create_metadata_string

    return create_metadata_string(None, config=_config(), valid=24 * 365, sign=False).decode()


def start(next_url: str) -> str:
    """A signed AuthnRequest, remembered with where to go after; the IdP's address for it."""
    request_id, info = client().prepare_for_authenticate(sign=True)
    db.session.add(SamlRequest(id=request_id, next_url=next_url))
    db.session.execute(
        sa.delete(SamlRequest).where(SamlRequest.created_at < utcnow() - REQUEST_LIFETIME)
    )
    db.session.flush()
    return dict(info["headers"])["Location"]


def answer(saml_response: str) -> tuple[Identity, str, dict[str, str]]:
    """The identity a posted response vouches for, where to go next, and what logout needs.

    :raises Refused: for anything not checked as above (reason in English for the audit).
    """
    outstanding = {
        row.id: row.next_url
        for row in db.session.scalars(
            sa.select(SamlRequest).where(SamlRequest.created_at >= utcnow() - REQUEST_LIFETIME)
        )
    }
    try:
        response = client().parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=outstanding
        )
    except Exception as error:  # pysaml2 raises many kinds; each is a refusal
        raise Refused(NOT_CONFIRMED, f"{type(error).__name__}: {error}") from error
    if response is None or response.assertion is None:
        raise Refused(NOT_CONFIRMED, "no assertion")
    request_id = response.in_response_to
    used = db.session.execute(sa.delete(SamlRequest).where(SamlRequest.id == request_id))
    if used.rowcount != 1:  # type: ignore[attr-defined]
        raise Refused(NOT_CONFIRMED, f"replayed or unknown InResponseTo {request_id}")
    attributes = response.get_identity()
    config = current_app.config
    name_id = response.name_id
    issuer = response.issuer()

    def first(name: str) -> str | None:
        values = attributes.get(config[name]) or []
        return str(values[0]).strip() if values else None

    email = first("SAML_EMAIL_ATTRIBUTE")
    identity = Identity(
        protocol="saml",
        issuer=issuer,
        subject=name_id.text,
        email=email.lower() if email else None,
        name=first("SAML_NAME_ATTRIBUTE"),
        groups=groups_from(attributes.get(config["SAML_GROUPS_ATTRIBUTE"]) or []),
    )
    session_index = response.assertion.authn_statement[0].session_index
    logout = {
        "issuer": issuer,
        "name_id": name_id.text,
        "format": name_id.format or "",
        "session_index": session_index or "",
    }
    return identity, outstanding[request_id], logout


def logout_url(logout: dict[str, str]) -> str | None:
    """The IdP's single logout address with a signed LogoutRequest for this session."""
    sp = client()
    try:
        destinations = sp.metadata.single_logout_service(
            logout["issuer"], BINDING_HTTP_REDIRECT, "idpsso"
        )
    except Exception:  # an IdP not (or no longer) in the metadata: only the portal logs out
        return None
    if not destinations:
        return None
    destination = destinations[0]["location"]
    name_id = NameID(text=logout["name_id"], format=logout["format"] or None)
    _, request = sp.create_logout_request(
        destination,
        logout["issuer"],
        name_id=name_id,
        session_indexes=[logout["session_index"]] if logout["session_index"] else None,
        sign=False,  # the redirect binding signs the query instead
    )
    info = sp.apply_binding(BINDING_HTTP_REDIRECT, str(request), destination, sign=True)
    return dict(info["headers"])["Location"]
