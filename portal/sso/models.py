"""An account's identity at the municipality's identity provider: the issuer and the subject
the provider gives the person (never their name). A login by SSO finds the user through it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class UserIdentity(Base):
    __tablename__ = "user_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    protocol: Mapped[str] = mapped_column(sa.String(10))  # oidc | saml
    issuer: Mapped[str] = mapped_column(sa.String(300))
    subject: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("protocol", "issuer", "subject", name="uq_user_identity_subject"),
    )


class SamlRequest(Base):
    """An AuthnRequest this portal sent and whose answer it waits for (15 minutes). The answer
    removes it, so the same response is never accepted twice."""

    __tablename__ = "saml_request"

    id: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    next_url: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
