"""Sending email: SMTP when configured, the log otherwise.

The mailer is a small protocol so tests can use a real local SMTP server and
the development default never needs one.

Every :class:`Mail` says who sends it (``sender``: an organisation's name, or
"Skillspas" for the service's own mail) and why the recipient gets it
(``reason``: one plain sentence, "Je krijgt deze mail omdat ..."). Both are
required, so no mail can forget them; one small layout puts them into the
text part and the HTML part, and the From header reads "<sender> via Skillspas".
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Protocol

import css_inline
from flask import current_app
from markupsafe import escape

from badges.kernel.i18n import SUPPORTED, current_language

log = logging.getLogger("badges.mail")


#: The service's name: the sender of its own mail, and the "via" in every From header.
SERVICE = "Skillspas"

#: The colour of mail without an organisation's own.
COLOUR = "#1f5f8b"


@dataclass(frozen=True)
class Branding:
    """An organisation's look in the HTML part: its colour and logo."""

    colour: str = COLOUR
    logo_url: str | None = None


@dataclass
class Mail:
    """One email. ``text`` (and ``html``, when given) is the body; the layout adds the rest.

    ``sender`` is who sends it (an organisation's name, or :data:`SERVICE`); ``reason``
    is one sentence saying why the recipient gets it. ``html`` is an HTML fragment for
    mail that has its own (the credential announcement); otherwise the HTML part is made
    from ``text``. ``lang`` is the language the mail is written in.
    """

    to: str
    subject: str
    text: str
    sender: str
    reason: str
    html: str | None = None
    branding: Branding | None = None
    lang: str = "nl"
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.sender.strip() or not self.reason.strip():
            raise ValueError("a mail says who sends it and why")

    @property
    def from_name(self) -> str:
        """"Maasvallei College via Skillspas", or "Skillspas" for the service's own mail."""
        return SERVICE if self.sender == SERVICE else f"{self.sender} via {SERVICE}"

    def text_part(self) -> str:
        body = self.text.strip()
        why = [] if self.reason in body else [self.reason]
        return "\n\n".join([body, *why, f"— {self.from_name}"]) + "\n"

    def html_part(self) -> str:
        return _layout(self)


# Mail programs drop <style> blocks: the stylesheet is written once here and css-inline (a
# maintained inliner) copies it onto every element before sending.
MAIL_CSS = """
body { margin: 0; padding: 0; background: #f5f7f9; }
.outer { padding: 24px; }
.card { max-width: 560px; margin: 0 auto; background: #ffffff; border-radius: 6px;
        border-top: 6px solid %(colour)s; font-family: Arial, Helvetica, sans-serif; color: #1f2328; }
.inner { padding: 24px; }
.logo { display: block; max-height: 48px; margin: 0 0 16px; }
p { font-size: 16px; line-height: 1.5; margin: 0 0 16px; overflow-wrap: anywhere; }
a { word-break: break-all; }
p.small { font-size: 14px; color: #57606a; margin: 0 0 8px; }
a.button { display: inline-block; background: %(colour)s; color: #ffffff; text-decoration: none;
           padding: 12px 20px; border-radius: 4px; font-size: 16px; word-break: normal; }
hr { border: 0; border-top: 1px solid #d0d7de; margin: 24px 0; }
"""

_URL = re.compile(r"https?://[^\s<>\"']+")


def _linked(line: str) -> str:
    """One line of text as HTML, its web addresses as links."""
    out, last = [], 0
    for found in _URL.finditer(line):
        url = found.group().rstrip(".,;:)")
        out += [str(escape(line[last:found.start()])),
                f'<a href="{escape(url)}">{escape(url)}</a>']
        last = found.start() + len(url)
    return "".join(out) + str(escape(line[last:]))


def text_to_html(text: str) -> str:
    """Plain text as paragraphs: a blank line between them, line breaks kept, links clickable."""
    return "".join("<p>" + "<br>".join(_linked(line) for line in block.split("\n")) + "</p>"
                   for block in re.split(r"\n\s*\n", text.strip()) if block.strip())


def _layout(mail: Mail) -> str:
    branding = mail.branding or Branding()
    colour = branding.colour if re.fullmatch(r"#[0-9a-fA-F]{6}", branding.colour or "") else COLOUR
    body = mail.html if mail.html is not None else text_to_html(mail.text)
    logo = (f'<img class="logo" src="{escape(branding.logo_url)}" alt="{escape(mail.sender)}" '
            'height="48">' if branding.logo_url else "")
    why = "" if str(escape(mail.reason)) in body else f'<p class="small">{escape(mail.reason)}</p>'
    return css_inline.inline(
        f'<!doctype html><html lang="{escape(mail.lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(mail.subject)}</title>"
        f"<style>{MAIL_CSS % {'colour': colour}}</style></head><body>"
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr>'
        '<td class="outer"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        f'class="card"><tr><td class="inner">{logo}{body}<hr>{why}'
        f'<p class="small">— {escape(mail.from_name)}</p></td></tr></table></td></tr></table>'
        "</body></html>")


def recipient_language(preference: str | None = None, *, on_page: bool = False) -> str:
    """The language to write to someone in: their own choice (``preference``, a user's
    ``locale``) when there is one; else the page's language when the recipient is the one
    on the page (``on_page``: they asked for this mail); else Dutch."""
    if preference in SUPPORTED:
        return str(preference)
    return current_language() if on_page else "nl"


def hello(name: str | None) -> str:
    """The opening line: "Hallo Vanessa," (or "Hallo," without a name), in the language being written."""
    from flask_babel import gettext as _

    return _("Hallo %(name)s,", name=name) if name else _("Hallo,")


@contextmanager
def writing_in(lang: str) -> Iterator[str]:
    """Texts made inside (gettext) are in ``lang``; yields ``lang`` for the Mail."""
    from flask_babel import force_locale

    with force_locale(lang):
        yield lang


_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """A header value from names people type: line breaks and control characters become one
    space (Python refuses a header with CR or LF, so one such name stopped every mail of an
    organisation; no header can be added either way)."""
    return " ".join(_BREAKS.sub(" ", text).split())


class BadRecipient(ValueError):
    """``Mail.to`` is not one plain address (a list, a display name, a comment)."""

    def __init__(self, to: str) -> None:
        super().__init__(f"not one plain address: {to!r}")


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
            log.warning("MAIL to=%s subject=%s\n%s", mail.to, mail.subject, mail.text_part())
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
        # The configured address, with who sends it as the name: "Maasvallei via Skillspas".
        msg["From"] = Address(display_name=one_line(mail.from_name),
                              addr_spec=parseaddr(self.sender)[1] or self.sender)
        msg["To"] = mail.to
        # One recipient, exactly as given: "evil@…,me@school.nl" would make a To header
        # with two addresses, and smtplib sends to every address in it.
        if [a.addr_spec for a in msg["To"].addresses] != [mail.to]:
            raise BadRecipient(mail.to)
        msg["Subject"] = one_line(mail.subject)
        for key, value in mail.headers.items():
            msg[key] = one_line(value)
        msg.set_content(mail.text_part())
        msg.add_alternative(mail.html_part(), subtype="html")
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
                    except BadRecipient:
                        log.warning("not one plain address %r; not sent", mail.to)
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
