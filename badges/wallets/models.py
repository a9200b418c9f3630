"""Credential offers to wallets, the nonces key proofs must carry, and what each wallet received."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.issuing.models import Credential
from badges.kernel.models import Base, CreatedAt, utcnow


class WalletOffer(CreatedAt, Base):
    """One pre-authorized code for one credential: expires soon and works once.

    Only hashes are stored: the code is in the QR code, the transaction code on
    the learner's screen. The access token it is exchanged for lives here too.
    """

    __tablename__ = "wallet_offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    credential_id: Mapped[int] = mapped_column(ForeignKey("credential.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    tx_code_hash: Mapped[str] = mapped_column(String(64))
    failed_tries: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]  # a newer offer for the same credential replaced it
    redeemed_at: Mapped[datetime | None]  # the code was exchanged for a token
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_expires_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]  # the credential was delivered

    credential: Mapped[Credential] = relationship()

    __table_args__ = (Index("ix_wallet_offer_credential_id", "credential_id"),)


class WalletNonce(Base):
    """A ``c_nonce``: a key proof must carry one we handed out, once, while fresh."""

    __tablename__ = "wallet_nonce"

    id: Mapped[int] = mapped_column(primary_key=True)
    value_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class WalletDelivery(Base):
    """A credential went to a wallet: which holder key, which format, when."""

    __tablename__ = "wallet_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    credential_id: Mapped[int] = mapped_column(ForeignKey("credential.id", ondelete="CASCADE"))
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("wallet_offer.id", ondelete="SET NULL"))
    format: Mapped[str] = mapped_column(String(20))  # ldp_vc | jwt_vc_json
    holder_id: Mapped[str] = mapped_column(Text)  # the DID now in credentialSubject.id
    client_id: Mapped[str | None] = mapped_column(String(200))  # the wallet, when it names itself
    delivered_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_wallet_delivery_credential_id", "credential_id"),)
