"""Sending email: SMTP when configured, the log otherwise.

The mailer is a small protocol so tests can use a real local SMTP server and
the development default never needs one.
"""

from __future__ import annotations

import logging
import smtplib
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


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...


class LogMailer:
    """Development default: the message goes to the log, links and all."""

    def __init__(self) -> None:
        self.sent: list[Mail] = []

    def send(self, mail: Mail) -> None:
        self.sent.append(mail)
        log.warning("MAIL to=%s subject=%s\n%s", mail.to, mail.subject, mail.text)


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

    def send(self, mail: Mail) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.use_tls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password)
            smtp.send_message(self.build(mail))


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
            mailer = LogMailer()
        current_app.extensions["badges.mailer"] = mailer
    return mailer


def send_mail(mail: Mail) -> None:
    get_mailer().send(mail)
