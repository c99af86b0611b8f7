"""A real OpenID Connect provider for the tests: an Authlib authorization server on localhost
with its own RSA keys (authorization code flow, PKCE required, nonce, discovery, JWKS,
RP-initiated logout). Whoever the test names as ``user`` is signed in at once; ``claims``
adds or overrides what the ID token says, so a test can drop the e-mail or change groups.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import grants as oidc_grants
from authlib.oidc.core.models import AuthorizationCodeMixin
from flask import Flask, jsonify, redirect, request
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

CLIENT_ID, CLIENT_SECRET = "portalen", "hemmelig-klientnoegle"


@dataclass
class Client(ClientMixin):
    redirect_uris: list[str]

    def get_client_id(self):
        return CLIENT_ID

    def get_default_redirect_uri(self):
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope):
        return scope

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, CLIENT_SECRET)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    user: dict[str, Any]
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return None


class Provider:
    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "nøgle-1", "use": "sig"})
        self.published: RSAKey | None = None  # what the JWKS shows, if not ``key``
        self.user: dict[str, Any] = {}
        self.claims: dict[str, Any] = {}
        self.codes: dict[str, Code] = {}
        self.redirect_uris: list[str] = []
        self.app = self._make_app()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.logged_out: list[dict[str, str]] = []

    # What the portal's configuration needs
    def config(self, **extra: Any) -> dict[str, Any]:
        return {
            "OIDC_DISCOVERY_URL": f"{self.url}/.well-known/openid-configuration",
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            **extra,
        }

    def rotate_key(self) -> None:
        """A new signing key with a new kid (the portal must fetch the JWKS again)."""
        self.key = RSAKey.generate_key(2048, parameters={"kid": "nøgle-2", "use": "sig"})

    def _make_app(self) -> Flask:
        app = Flask("test-idp")
        provider = self

        class OpenIDCode(oidc_grants.OpenIDCode):
            def exists_nonce(self, nonce, req):
                return any(c.nonce == nonce for c in provider.codes.values())

            def resolve_client_private_key(self, client):
                return provider.key

            def get_client_algorithm(self, client):
                return "RS256"

            def get_encode_header(self, client):
                return {"alg": "RS256", "kid": provider.key.kid}

            def get_client_claims(self, client):
                now = int(time.time())
                return {"iss": provider.url, "aud": [CLIENT_ID], "exp": now + 300}

            def generate_user_info(self, user, scope):
                return {**user, **provider.claims}

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ("client_secret_basic", "client_secret_post")

            def save_authorization_code(self, code, req):
                provider.codes[code] = Code(
                    code=code,
                    redirect_uri=req.payload.redirect_uri,
                    scope=req.payload.scope,
                    nonce=req.payload.data.get("nonce"),
                    code_challenge=req.payload.data.get("code_challenge"),
                    code_challenge_method=req.payload.data.get("code_challenge_method"),
                    user=req.user,
                )

            def query_authorization_code(self, code, client):
                return provider.codes.get(code)

            def delete_authorization_code(self, authorization_code):
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code):
                return authorization_code.user

        def query_client(client_id):
            return Client(provider.redirect_uris) if client_id == CLIENT_ID else None

        server = AuthorizationServer(app, query_client=query_client, save_token=lambda t, r: None)
        server.register_grant(
            CodeGrant, [OpenIDCode(require_nonce=True), CodeChallenge(required=True)]
        )

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(
                issuer=provider.url,
                authorization_endpoint=f"{provider.url}/authorize",
                token_endpoint=f"{provider.url}/token",
                jwks_uri=f"{provider.url}/jwks",
                end_session_endpoint=f"{provider.url}/logout",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
                code_challenge_methods_supported=["S256"],
            )

        @app.get("/jwks")
        def jwks():
            shown = provider.published or provider.key
            return jsonify(keys=[shown.as_dict(private=False)])

        @app.get("/authorize")
        def authorize():
            user = dict(provider.user)
            grant = server.get_consent_grant(end_user=user)
            return server.create_authorization_response(grant=grant, grant_user=user)

        @app.post("/token")
        def token():
            return server.create_token_response()

        @app.get("/logout")
        def logout():
            provider.logged_out.append(dict(request.args))
            return redirect(request.args.get("post_logout_redirect_uri", "/"))

        return app

    def start(self) -> None:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
