"""Sending mail: SmtpMailer against a real local SMTP server, LogMailer's bound, the app's mailer.

The server is aiosmtpd on a free port (``smtp_server`` in this folder's
conftest); it records every message it accepts and every SMTP session, and
can be told to refuse recipients or to stop part-way through a batch.
"""

from __future__ import annotations

import smtplib
import socket

import pytest

from badges import create_app
from badges.kernel import mail as mail_service
from badges.kernel.mail import LogMailer, Mail, MailBatchError, SmtpMailer, get_mailer, send_mails

SENDER = "Skillspas <no-reply@skillspas.local>"


def _mails(n: int) -> list[Mail]:
    return [Mail(to=f"lerende{i}@example.nl", subject=f"Bewijs {i}: Zoë's zorg — niveau {i}",
                 text=f"Beste lerende {i},\n\nJe bewijs staat klaar: https://skillspas.test/c/{i}\n",
                 sender="Skillspas", reason="Je krijgt deze mail omdat dit een test is.")
            for i in range(n)]


def _mailer(port: int) -> SmtpMailer:
    return SmtpMailer("127.0.0.1", port, SENDER, timeout=5)


class TestSmtpMailer:
    def test_send_many_delivers_every_mail_over_one_session(self, smtp_server):
        server, port = smtp_server
        mails = _mails(7)
        _mailer(port).send_many(mails)

        assert server.session_count == 1
        assert server.quits == 1
        assert len(server.received) == len(mails)
        # Every message came in on that one connection.
        assert all(r.session is server.sessions[0] for r in server.received)
        for got, sent in zip(server.received, mails, strict=True):
            assert got.rcpt_tos == [sent.to]
            assert got.mail_from == "no-reply@skillspas.local"
            assert got.to == sent.to
            assert got.message["From"] == SENDER  # the service's own mail: its name alone
            assert got.subject == sent.subject  # non-ASCII survives the encoding
            assert got.body == sent.text_part()
            assert got.body.endswith("Je krijgt deze mail omdat dit een test is.\n\n— Skillspas\n")

    def test_a_second_batch_opens_a_new_session(self, smtp_server):
        server, port = smtp_server
        mailer = _mailer(port)
        mailer.send_many(_mails(3))
        mailer.send_many(_mails(2))
        assert server.session_count == 2
        assert [len([r for r in server.received if r.session is s]) for s in server.sessions] == [3, 2]

    def test_send_one(self, smtp_server):
        server, port = smtp_server
        one = Mail(to="vanessa@example.nl", subject="Hallo", text="Een enkel bericht.\n",
                   html="<p>Een enkel bericht.</p>", headers={"Reply-To": "docent@example.nl"},
                   sender="Maasvallei College", reason="Je krijgt deze mail omdat dit een test is.")
        _mailer(port).send(one)

        assert server.session_count == 1
        [got] = server.received
        assert got.rcpt_tos == ["vanessa@example.nl"]
        assert got.subject == "Hallo"
        assert got.message["Reply-To"] == "docent@example.nl"
        assert got.body == ("Een enkel bericht.\n\nJe krijgt deze mail omdat dit een test is.\n\n"
                            "— Maasvallei College via Skillspas\n")
        assert got.message["From"] == "Maasvallei College via Skillspas <no-reply@skillspas.local>"
        assert "Een enkel bericht.</p>" in got.message.get_body(("html",)).get_content()

    def test_a_recipient_is_one_plain_address_never_a_list(self, smtp_server):
        """An address typed as "evil@…,me@school.nl" (a claim code's form took it) made a To
        header with two addresses, and smtplib sent to both; a name or a comment hid others."""
        server, port = smtp_server
        hostile = ["evil@attacker.example,lid@example.nl", "Evil <lid@example.nl>",
                   "lid@example.nl (evil@attacker.example)", "lid@example.nl evil@attacker.example"]
        mails = [Mail(to=to, subject="Hallo", text="Hallo.", sender="Skillspas",
                      reason="Je krijgt deze mail omdat dit een test is.") for to in hostile]
        for mail in mails:
            with pytest.raises(mail_service.BadRecipient):
                _mailer(port).send(mail)
        _mailer(port).send_many([*mails, *_mails(1)])  # the batch skips them, sends the rest
        assert [r.rcpt_tos for r in server.received] == [["lerende0@example.nl"]]

    def test_line_breaks_in_a_name_or_subject_neither_inject_nor_stop_the_mail(self, smtp_server):
        """An organisation named "Club\r\nBcc: …" (the profile form takes any text) or an
        achievement name with a line break in the subject: no header is added, and the mail
        still goes (Python refused the header, so every mail of that organisation failed)."""
        server, port = smtp_server
        _mailer(port).send(Mail(to="lid@example.nl", subject="Bewijs\r\nBcc: evil@attacker.example",
                                text="Hallo.", sender="Club\r\nBcc: evil@attacker.example\n",
                                reason="Je krijgt deze mail omdat dit een test is.",
                                headers={"Reply-To": "docent@example.nl\r\nBcc: evil@attacker.example"}))
        [got] = server.received
        assert got.rcpt_tos == ["lid@example.nl"]
        assert got.message["Bcc"] is None
        assert got.subject == "Bewijs Bcc: evil@attacker.example"
        assert got.message["From"] == ('"Club Bcc: evil@attacker.example via Skillspas" '
                                       "<no-reply@skillspas.local>")

    def test_the_senders_name_with_a_comma_and_an_accent_stays_one_address(self, smtp_server):
        server, port = smtp_server
        _mailer(port).send(Mail(to="lid@example.nl", subject="Hallo", text="Hallo.",
                                sender="Zoë's Club, Oss", reason="Je krijgt deze mail omdat je lid bent."))
        [got] = server.received
        [sender] = got.message["From"].addresses
        assert sender.display_name == "Zoë's Club, Oss via Skillspas"
        assert sender.addr_spec == "no-reply@skillspas.local"

    def test_refused_recipient_is_skipped_and_the_rest_still_arrive(self, smtp_server):
        server, port = smtp_server
        mails = _mails(5)
        server.rcpt_replies = {mails[1].to: "550 5.1.1 No such user",
                               mails[3].to: "553 5.1.3 Bad address"}
        _mailer(port).send_many(mails)  # no exception: a retry would be refused again

        assert server.to() == [mails[0].to, mails[2].to, mails[4].to]
        assert server.session_count == 1

    @pytest.mark.parametrize("fail_at,fail_how", [
        ("DATA", "421 4.3.2 Service shutting down"),
        ("DATA", "hangup"),
        ("MAIL", "421 4.3.2 Service shutting down"),
        ("MAIL", "hangup"),
        ("RCPT", "421 4.3.2 Service shutting down"),
        ("RCPT", "hangup"),
    ])
    @pytest.mark.parametrize("k", [0, 3])
    def test_server_that_stops_part_way_reports_how_many_went_out(self, smtp_server, fail_at,
                                                                  fail_how, k):
        server, port = smtp_server
        server.fail_after, server.fail_at, server.fail_how = k, fail_at, fail_how
        mails = _mails(6)
        with pytest.raises(MailBatchError) as info:
            _mailer(port).send_many(mails)

        assert info.value.sent == k
        assert isinstance(info.value.cause, (smtplib.SMTPException, OSError))
        assert server.to() == [m.to for m in mails[:k]]
        assert server.session_count == 1

    def test_a_message_refused_for_good_is_skipped_and_the_rest_still_arrive(self, smtp_server):
        """A 5xx at DATA (too large, policy) would stop a retry at the same mail every time."""
        server, port = smtp_server
        mails = _mails(4)
        server.data_replies = {mails[1].to: "552 5.3.4 Message too big"}
        _mailer(port).send_many(mails)

        assert server.to() == [mails[0].to, mails[2].to, mails[3].to]
        assert server.session_count == 1

    def test_a_message_refused_for_now_stops_the_batch_there(self, smtp_server):
        server, port = smtp_server
        mails = _mails(4)
        server.data_replies = {mails[1].to: "451 4.3.0 Try again later"}
        with pytest.raises(MailBatchError) as info:
            _mailer(port).send_many(mails)

        assert info.value.sent == 1
        assert server.to() == [mails[0].to]

    def test_a_recipient_refused_for_now_is_not_dropped(self, smtp_server):
        """4xx on RCPT is temporary (greylisting, a full mailbox, rate limits): that mail
        is not lost but reported unsent, so the rest of the batch is tried again later."""
        server, port = smtp_server
        mails = _mails(5)
        server.rcpt_replies = {mails[2].to: "450 4.2.0 Greylisted, try again later"}
        with pytest.raises(MailBatchError) as info:
            _mailer(port).send_many(mails)

        assert info.value.sent == 2
        assert server.to() == [mails[0].to, mails[1].to]

    def test_refused_then_stopped_counts_the_refused_one_as_done(self, smtp_server):
        """``sent`` counts mails dealt with, refused ones included: a retry of
        ``mails[sent:]`` neither repeats a delivered mail nor a refused one."""
        server, port = smtp_server
        mails = _mails(6)
        server.rcpt_replies = {mails[1].to: "550 5.1.1 No such user"}
        server.fail_after = 2  # messages accepted: mails[0] and mails[2]
        with pytest.raises(MailBatchError) as info:
            _mailer(port).send_many(mails)

        assert info.value.sent == 3
        assert server.to() == [mails[0].to, mails[2].to]

    def test_no_server_at_all_is_a_batch_error_with_nothing_sent(self, smtp_server):
        server, _ = smtp_server
        closed = SmtpMailer("127.0.0.1", _closed_port(), SENDER, timeout=5)
        with pytest.raises(MailBatchError) as info:
            closed.send_many(_mails(2))
        assert info.value.sent == 0
        assert isinstance(info.value.cause, OSError)
        assert server.received == []

    @pytest.mark.parametrize("quit_reply", ["554 5.0.0 Not now", "hangup"])
    def test_failing_quit_after_the_last_mail_is_not_an_error(self, smtp_server, quit_reply):
        server, port = smtp_server
        if quit_reply == "hangup":
            _patch_quit_hangup(server)
        else:
            server.quit_reply = quit_reply
        mails = _mails(3)
        _mailer(port).send_many(mails)  # everything went out: nothing to report
        assert server.to() == [m.to for m in mails]
        assert server.quits == 1

    def test_failing_quit_is_still_an_error_when_mails_were_lost(self, smtp_server):
        """The QUIT exemption holds only when every mail went out."""
        server, port = smtp_server
        mails = _mails(3)
        server.rcpt_replies = {mails[2].to: "451 4.3.0 Try again later"}
        server.quit_reply = "554 5.0.0 Not now"
        with pytest.raises(MailBatchError) as info:
            _mailer(port).send_many(mails)
        assert info.value.sent == 2


def _closed_port() -> int:
    """A local port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends; nobody listens


def _patch_quit_hangup(server) -> None:
    async def hang_up(srv, session, envelope):
        server.quits += 1
        srv.transport.abort()
        return "221 never seen"

    server.handle_QUIT = hang_up


class TestLogMailer:
    @pytest.mark.parametrize("keep", [1, 2, 3, 10])
    def test_keeps_only_recent_mails_and_never_more_than_keep(self, monkeypatch, keep):
        monkeypatch.setattr(LogMailer, "KEEP", keep)
        mailer = LogMailer()
        mails = _mails(5 * keep + 3)
        for i, mail in enumerate(mails):
            if i % 2:
                mailer.send(mail)
            else:
                mailer.send_many([mail])
            assert 1 <= len(mailer.sent) <= keep
            # What is kept is the newest run of mails, in order, ending with this one.
            assert mailer.sent == mails[i + 1 - len(mailer.sent):i + 1]
        assert mailer.sent[-1] is mails[-1]

    def test_default_keeps_every_mail_of_a_normal_run(self):
        mailer = LogMailer()
        mails = _mails(300)
        mailer.send_many(mails)
        assert mailer.sent == mails


class TestAppMailer:
    def test_configured_server_gets_the_mail_over_one_session(self, app_config, smtp_server):
        server, port = smtp_server
        smtp_app = create_app({**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
                               "RATELIMIT_STORAGE_URI": "memory://"})
        mails = _mails(4)
        with smtp_app.app_context():
            mailer = get_mailer()
            assert isinstance(mailer, SmtpMailer)
            assert get_mailer() is mailer  # built once per app
            send_mails([])  # nothing to send: no connection at all
            assert server.session_count == 0
            send_mails(mails)
            mail_service.send_mail(Mail(to="los@example.nl", subject="Los", text="Los.\n",
                                             sender="Skillspas", reason="Omdat het moet."))
        assert server.to() == [m.to for m in mails] + ["los@example.nl"]
        assert server.session_count == 2  # the batch, then the single mail
        assert all(r.session is server.sessions[0] for r in server.received[:4])

    def test_without_a_server_mail_goes_to_the_log(self, app_config, smtp_server):
        server, _ = smtp_server
        log_app = create_app({**app_config, "RATELIMIT_STORAGE_URI": "memory://"})
        with log_app.app_context():
            send_mails(_mails(2))
            mailer = get_mailer()
        assert isinstance(mailer, LogMailer)
        assert [m.to for m in mailer.sent] == ["lerende0@example.nl", "lerende1@example.nl"]
        assert server.session_count == 0
