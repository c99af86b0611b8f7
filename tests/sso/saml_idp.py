"""A real SAML 2.0 identity provider for the tests: pysaml2 playing the IdP, with its own key
and certificate, signing each assertion for the portal's service provider."""

from __future__ import annotations

import base64
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

IDP_BASE = "https://idp.kk.example"

# SAML signatures need Debian's xmlsec1 (`.ci/run` installs it): without it the SAML tests skip,
# and fail instead under CI, as the browser tests do without Chromium.
XMLSEC = shutil.which("xmlsec1")
needs_xmlsec = pytest.mark.skipif(
    not XMLSEC and not os.environ.get("CI"), reason="xmlsec1 findes ikke: apt install xmlsec1"
)
EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
NAME = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"
GROUPS = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"


def key_pair(directory: Path, name: str) -> tuple[str, str]:
    """A self-signed certificate and its key, as PEM files; (cert, key) paths."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / f"{name}.crt", directory / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


class IdP:
    def __init__(self, directory: Path, base: str = IDP_BASE) -> None:
        self.base = base
        self.cert, self.key = key_pair(directory, "idp")
        self.sp_cert, self.sp_key = key_pair(directory, "sp")
        self.server: Server | None = None

    def _config(self, sp_metadata: str | None) -> IdPConfig:
        settings: dict[str, Any] = {
            "entityid": f"{self.base}/saml",
            "key_file": self.key,
            "cert_file": self.cert,
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{self.base}/saml/sso", BINDING_HTTP_REDIRECT)
                        ],
                        "single_logout_service": [(f"{self.base}/saml/slo", BINDING_HTTP_REDIRECT)],
                    },
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 15},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                }
            },
            "metadata": {"inline": [sp_metadata]} if sp_metadata else {},
        }
        return IdPConfig().load(settings)

    def metadata(self) -> str:
        return create_metadata_string(None, config=self._config(None), valid=24).decode()

    def trust(self, sp_metadata: str) -> None:
        """Know the portal as a service provider (its metadata from /saml/metadata)."""
        self.server = Server(config=self._config(sp_metadata))

    def answer(
        self,
        location: str,
        subject: str = "persistent-abc-123",
        attributes: dict[str, list[str]] | None = None,
        sign: bool = True,
        destination: str | None = None,
        audience: str | None = None,
    ) -> str:
        """The signed response (base64, as posted) to the AuthnRequest in ``location``."""
        assert self.server is not None
        query = parse_qs(urlsplit(location).query)
        request = self.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        acs = destination or request.message.assertion_consumer_service_url
        self.last_acs = acs
        response = self.server.create_authn_response(
            identity=attributes if attributes is not None else person(),
            in_response_to=request.message.id,
            destination=acs,
            sp_entity_id=audience or request.message.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=subject),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_assertion=sign,
            sign_response=False,
            userid=subject,
        )
        return base64.b64encode(str(response).encode()).decode()


def serve(idp: IdP, attributes: dict[str, list[str]]):
    """The IdP as a web site for a browser: its sign-in page answers the portal's request with
    a form that posts the signed response to the portal (as a real IdP's page does)."""
    from flask import Flask, request

    app = Flask("test-saml-idp")

    @app.get("/saml/sso")
    def sso():
        answer = idp.answer(request.url, attributes=attributes)
        acs = idp.last_acs
        return (
            '<!DOCTYPE html><html lang="da"><head><title>Kommunens login</title></head><body>'
            f'<form method="post" action="{acs}"><input type="hidden" name="SAMLResponse" '
            f'value="{answer}"><button type="submit">Fortsæt til portalen</button></form>'
            "</body></html>"
        )

    return app


def person(**changes: list[str]) -> dict[str, list[str]]:
    found = {
        EMAIL: ["jens.jensen@kk.example"],
        NAME: ["Jens Jensen"],
        GROUPS: ["alle-ansatte"],
    }
    found.update(changes)
    return found


__all__ = ["BINDING_HTTP_POST", "IdP", "person"]
