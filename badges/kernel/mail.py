"""Sending email: SMTP when configured, the log otherwise.

The mailer is a small protocol so tests can use a real local SMTP server and
the development default never needs one.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol

from flask import current_app

log = logging.getLogger("badges.mail")


@dataclass
class Mail:
    to: str
    subject: str
    text: str
    html: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


class MailBatchError(Exception):
    """Sending a batch stopped part-way: ``sent`` mails went out before ``cause``."""

    def __init__(self, sent: int, cause: Exception) -> None:
        super().__init__(f"{sent} sent, then {type(cause).__name__}: {cause}")
        self.sent = sent
        self.cause = cause


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...

    def send_many(self, mails: Sequence[Mail]) -> None:
        """Send in order; on failure raise :class:`MailBatchError` saying how many went out."""
        ...


class LogMailer:
    """Default without SMTP: the log says a message was sent, to whom and about what.

    The body (with its claim, reset and confirmation links) is logged only
    when ``log_bodies`` is set (``BADGES_MAIL_LOG_BODIES=1``, what
    ``scripts/start`` does for a local demo): a production log must never
    hold a link that signs someone in or hands over a credential.

    ``sent`` keeps the most recent messages (tests read it); it is bounded so
    a development server that runs for weeks does not grow without end.
    """

    KEEP = 100_000

    def __init__(self, log_bodies: bool = False) -> None:
        self.sent: list[Mail] = []
        self.log_bodies = log_bodies

    def send(self, mail: Mail) -> None:
        if len(self.sent) >= self.KEEP:
            del self.sent[: max(1, self.KEEP // 2)]
        self.sent.append(mail)
        if self.log_bodies:
            log.warning("MAIL to=%s subject=%s\n%s", mail.to, mail.subject, mail.text)
        else:
            log.warning("MAIL to=%s subject=%s (not sent: no mail server configured; "
                        "the body is not logged)", mail.to, mail.subject)

    def send_many(self, mails: Sequence[Mail]) -> None:
        for mail in mails:
            self.send(mail)


class SmtpMailer:
    def __init__(
        self, host: str, port: int, sender: str, username: str = "", password: str = "",
        use_tls: bool = False, timeout: float = 10.0,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password, self.use_tls, self.timeout = username, password, use_tls, timeout

    def build(self, mail: Mail) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = mail.to
        msg["Subject"] = mail.subject
        for key, value in mail.headers.items():
            msg[key] = value
        msg.set_content(mail.text)
        if mail.html:
            msg.add_alternative(mail.html, subtype="html")
        return msg

    def _connect(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.use_tls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, mail: Mail) -> None:
        with self._connect() as smtp:
            smtp.send_message(self.build(mail))

    def send_many(self, mails: Sequence[Mail]) -> None:
        """One connection for the whole batch (a bulk run sends thousands).

        An address or a message the server refuses for good (5xx, or an address
        it cannot take) is logged and skipped: it will not work on a retry
        either, and the rest of the batch still can. A refusal for now (4xx:
        greylisting, rate limits, a 421 hang-up) stops the batch there, so that
        mail and the rest are retried, not lost.
        """
        sent = 0
        try:
            with self._connect() as smtp:
                for mail in mails:
                    try:
                        smtp.send_message(self.build(mail))
                    except smtplib.SMTPRecipientsRefused as exc:
                        if any(code < 500 for code, _ in exc.recipients.values()):
                            raise  # 4xx: not for good; counted as not sent
                        log.warning("mail server refused %s; not sent", mail.to)
                    except smtplib.SMTPDataError as exc:
                        if not 500 <= exc.smtp_code < 600:
                            raise
                        # This message, refused for good (too large, policy): the
                        # next ones may pass; a retry would stop at it every time.
                        log.warning("mail server refused the message to %s (%s); not sent",
                                    mail.to, exc.smtp_code)
                    except (smtplib.SMTPNotSupportedError, UnicodeEncodeError):
                        # An address this server cannot take (non-ASCII, no SMTPUTF8).
                        log.warning("mail server cannot take the address %r; not sent", mail.to)
                    sent += 1
        except (smtplib.SMTPException, OSError) as exc:
            if sent < len(mails):  # a failing QUIT after the last mail loses nothing
                raise MailBatchError(sent, exc) from exc


def get_mailer() -> Mailer:
    """The app's mailer, built once per app from configuration."""
    mailer = current_app.extensions.get("badges.mailer")
    if mailer is None:
        cfg = current_app.config["BADGES"]
        if cfg["MAIL_SERVER"]:
            mailer = SmtpMailer(
                cfg["MAIL_SERVER"], cfg["MAIL_PORT"], cfg["MAIL_SENDER"],
                cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"], cfg["MAIL_USE_TLS"],
            )
        else:
            mailer = LogMailer(log_bodies=cfg["MAIL_LOG_BODIES"])
        current_app.extensions["badges.mailer"] = mailer
    return mailer


def send_mail(mail: Mail) -> None:
    get_mailer().send(mail)


def send_mails(mails: Sequence[Mail]) -> None:
    """Send several over one connection; raises :class:`MailBatchError` part-way."""
    if mails:
        get_mailer().send_many(mails)
