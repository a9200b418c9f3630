"""Bulk issuing from CSV: parsing as Excel writes it, row checks, the job and its resumption."""

from __future__ import annotations

import threading

import pytest

from badges.catalogue import achievements
from badges.catalogue.models import Achievement
from badges.issuing import bulk, notifications
from badges.issuing import services as issuing
from badges.issuing.bulk_csv import parse, sniff_delimiter, template_csv
from badges.issuing.models import BulkJob, BulkJobState, BulkRow, BulkRowState, Credential
from badges.kernel import events
from badges.kernel.db import db
from badges.kernel.errors import Conflict, ServiceError
from badges.kernel.mail import LogMailer
from badges.organisations.models import Organisation
from badges.verification.services import verify_upload

HEADER = "e-mail;naam;prestatie;periode;resultaat;bewijs_url;geldig_tot"


def make_csv(n: int, *, broken: int = 0, sep: str = ";", period: str = "2026-P1") -> str:
    """``n`` rows, of which the first ``broken`` have one problem each (line numbers 2..)."""
    lines = [HEADER.replace(";", sep)]
    problems = ["bad-email", "", "K9999", "31-02-2030", "ftp://x"]
    for i in range(n):
        row = [f"leerling{i}@example.nl", f"Leerling {i}", "K0692", period, "goed",
               "https://portfolio.example/1", "31-12-2030"]
        if i < broken:
            kind = problems[i % len(problems)]
            slot = {0: 0, 1: 1, 2: 2, 3: 6, 4: 5}[i % len(problems)]
            row[slot] = kind
        lines.append(sep.join(row))
    return "\r\n".join(lines) + "\r\n"


@pytest.fixture
def college(app, demo):
    with app.test_request_context():
        yield db.session.scalar(db.select(Organisation).filter_by(slug="maasvallei-zorg-welzijn"))


@pytest.fixture
def mailer(app):
    app.extensions["badges.mailer"] = LogMailer()
    yield app.extensions["badges.mailer"]
    app.extensions.pop("badges.mailer")


def _credentials(org) -> int:
    return db.session.scalar(db.select(db.func.count(Credential.id)).filter_by(
        organisation_id=org.id)) or 0


class TestParse:
    @pytest.mark.parametrize("sep", [";", ",", "\t"])
    def test_sniffs_the_separator(self, college, sep):
        parsed = parse(college, make_csv(3, sep=sep).encode())
        assert parsed.delimiter == sep
        assert [r.errors for r in parsed.rows] == [[], [], []]

    def test_utf8_with_bom_and_english_headers(self, college):
        raw = ("\ufeffemail,name,achievement,period,valid_until\r\n"
               "a@example.nl,Émile Ça,Zorg voor mensen met dementie,P1,2030-12-31\r\n")
        parsed = parse(college, raw.encode("utf-8"))
        assert parsed.encoding == "utf-8" and not parsed.warnings
        assert parsed.rows[0].data["name"] == "Émile Ça" and not parsed.rows[0].errors

    def test_cp1252_is_read_with_a_warning(self, college):
        raw = "e-mail;naam;prestatie\r\na@example.nl;Zoë Brandsë;25498\r\n".encode("cp1252")
        parsed = parse(college, raw)
        assert parsed.encoding == "cp1252" and parsed.warnings
        assert parsed.rows[0].data["name"] == "Zoë Brandsë" and not parsed.rows[0].errors

    def test_excel_style_quoting(self, college):
        raw = ('e-mail;naam;prestatie;bewijs\r\n'
               'a@example.nl;"Vries; de, Anna";K0692;"Zei: ""prima""\r\nop twee regels"\r\n'
               'b@example.nl;Bert;K0692;\r\n')
        parsed = parse(college, raw.encode())
        assert parsed.rows[0].data["name"] == "Vries; de, Anna"
        assert parsed.rows[0].data["evidence"] == 'Zei: "prima"\r\nop twee regels'
        assert [r.errors for r in parsed.rows] == [[], []]

    def test_each_problem_names_line_and_column(self, college):
        parsed = parse(college, make_csv(6, broken=5).encode())
        errors = {r.line: r.errors for r in parsed.rows}
        assert errors[2][0]["field"] == "email" and "Regel 2" in errors[2][0]["message"]
        assert errors[3][0]["field"] == "name" and "naam ontbreekt" in errors[3][0]["message"]
        assert errors[4][0]["field"] == "achievement" and "K9999" in errors[4][0]["message"]
        assert errors[5][0]["field"] == "valid_until" and "dd-mm-jjjj" in errors[5][0]["message"]
        assert errors[6][0]["field"] == "evidence_url"
        assert errors[7] == []

    def test_rows_follow_the_shared_issuing_rules(self, college):
        long_email = "a" * 250 + "@example.nl"  # fits no credential (254 at most)
        raw = (f"{HEADER}\r\n{long_email};A;K0692;P1;;;\r\n"
               "b@example.nl;B;K0692;P1;;javascript://x%0aalert(1);\r\n"
               "c@example.nl;   ;K0692;P1;;;01-01-2020\r\n")
        errors = [r.errors for r in parse(college, raw.encode()).rows]
        assert [e["field"] for e in errors[0]] == ["email"]
        assert [e["field"] for e in errors[1]] == ["evidence_url"]
        assert [e["field"] for e in errors[2]] == ["name", "valid_until"]
        assert "Regel 4, kolom geldig_tot: deze datum ligt in het verleden" in errors[2][1]["message"]

    def test_duplicate_rows_in_the_file_are_reported(self, college):
        raw = make_csv(2) + "leerling0@example.nl;Leerling 0;K0692;2026-P1;;;\r\n"
        rows = parse(college, raw.encode()).rows
        assert rows[2].errors and "regel 2" in rows[2].errors[0]["message"]

    def test_another_orgs_achievement_is_unknown(self, college):
        raw = "e-mail;naam;prestatie\r\na@example.nl;A;K0080\r\n"  # the parent ROC's keuzedeel
        assert parse(college, raw.encode()).rows[0].errors[0]["field"] == "achievement"

    @pytest.mark.parametrize("raw, needle", [
        (b"", "leeg"),
        (b"naam;prestatie\r\nA;K0692\r\n", "e-mail"),
        (b"e-mail;naam;prestatie\r\n", "geen regels"),
        (b"\x00\x01binary", "geen CSV"),
    ])
    def test_file_level_problems_refuse_the_file(self, college, raw, needle):
        with pytest.raises(ServiceError, match=needle):
            parse(college, raw)

    def test_size_and_row_caps(self, college, monkeypatch):
        from badges.issuing import bulk_csv

        monkeypatch.setattr(bulk_csv, "MAX_ROWS", 5)
        with pytest.raises(ServiceError, match="meer dan 5 regels"):
            parse(college, make_csv(6).encode())
        monkeypatch.setattr(bulk_csv, "MAX_BYTES", 100)
        with pytest.raises(ServiceError, match="groter dan"):
            parse(college, make_csv(6).encode())

    def test_template_parses_as_a_header_and_example(self, college):
        assert template_csv().startswith("\ufeffe-mail;naam;prestatie")
        assert sniff_delimiter(template_csv()) == ";"


class TestRunJob:
    def test_done_when_1000_rows_with_10_broken(self, college, mailer):
        job = bulk.create_job(college, make_csv(1000, broken=10).encode(), filename="p1.csv")
        assert (job.total, job.valid, job.invalid) == (1000, 990, 10)
        before = _credentials(college)
        bulk.start_job(job)
        db.session.refresh(job)
        assert job.state == BulkJobState.DONE and job.issued == 990 and job.skipped == 0
        assert _credentials(college) - before == 990
        assert len(mailer.sent) == 990
        problems = bulk.problem_rows_csv(job).splitlines()
        assert len(problems) == 11 and problems[1].startswith("2;")
        assert all("Regel" in line for line in problems[1:])

        again = bulk.create_job(college, make_csv(1000, broken=10).encode())
        bulk.start_job(again)
        db.session.refresh(again)
        assert (again.issued, again.skipped) == (0, 990)
        assert _credentials(college) - before == 990

    def test_issued_credentials_verify(self, college, mailer):
        job = bulk.create_job(college, make_csv(3).encode())
        bulk.start_job(job)
        for row in db.session.scalars(db.select(BulkRow).filter_by(job_id=job.id)):
            cred = db.session.get(Credential, row.credential_id)
            report = verify_upload(cred.document)
            assert report["verified"], report
            assert cred.valid_until is not None and cred.valid_until.year == 2030
            assert cred.evidence[0]["url"] == "https://portfolio.example/1"

    def test_interrupted_job_resumes_without_duplicates(self, college, mailer, monkeypatch):
        monkeypatch.setattr(bulk, "CHUNK", 10)
        job = bulk.create_job(college, make_csv(45).encode())
        real = issuing.finish_batch
        calls = {"n": 0}

        def crash_on_third(*args, **kwargs):  # while the fourth chunk is being signed
            calls["n"] += 1
            if calls["n"] == 3:
                raise RuntimeError("process killed")
            return real(*args, **kwargs)

        monkeypatch.setattr(issuing, "finish_batch", crash_on_third)
        before = _credentials(college)
        bulk.start_job(job)
        db.session.refresh(job)
        assert job.state == BulkJobState.FAILED and "process killed" in job.error
        assert job.issued == 20 and _credentials(college) - before == 20
        assert len(mailer.sent) == 20

        monkeypatch.setattr(issuing, "finish_batch", real)
        bulk.run_job(job.id)
        db.session.refresh(job)
        assert job.state == BulkJobState.DONE and (job.issued, job.skipped) == (45, 0)
        assert _credentials(college) - before == 45
        assert len(mailer.sent) == 45

    def test_chunks_out_of_order_and_retried_issue_each_row_once(self, college, mailer, monkeypatch):
        """What workers do with a split job: line ranges, in any order, some run twice."""
        from badges.kernel.audit import AuditEvent

        monkeypatch.setattr(bulk, "CHUNK", 10)
        job = bulk.create_job(college, make_csv(25).encode())
        job.state = BulkJobState.RUNNING  # as run_job leaves it when it splits
        db.session.commit()
        before = _credentials(college)
        bulk.run_chunk(job.id, 22, 26)
        bulk.run_chunk(job.id, 2, 11)
        bulk.run_chunk(job.id, 2, 11)  # an RQ retry: nothing is pending in its range any more
        db.session.refresh(job)
        assert job.state == BulkJobState.RUNNING and (job.issued, job.skipped) == (15, 0)
        bulk.run_chunk(job.id, 12, 21)  # the last one finishes the job
        bulk.run_chunk(job.id, 12, 21)
        db.session.refresh(job)
        assert job.state == BulkJobState.DONE and (job.issued, job.skipped) == (25, 0)
        assert _credentials(college) - before == 25 and len(mailer.sent) == 25
        actions = db.session.scalars(db.select(AuditEvent.action).filter_by(
            subject_id=job.uuid).where(AuditEvent.action.in_(["bulk.chunk", "bulk.done"]))).all()
        # one per range that issued, committed with its rows; the retries found nothing to do
        assert sorted(actions) == ["bulk.chunk"] * 3 + ["bulk.done"]

    def test_rows_skipped_when_already_issued_elsewhere(self, college, mailer):
        from badges.issuing.bulk_csv import achievement_lookup

        a = achievement_lookup(college)["k0692"]
        issuing.issue(college, issuing.IssueRequest(
            achievement=a, recipient_email="leerling1@example.nl",
            dedup_key=issuing.dedup_key("leerling1@example.nl", a, "2026-P1")))
        job = bulk.create_job(college, make_csv(3).encode())
        bulk.start_job(job)
        row = db.session.scalar(db.select(BulkRow).filter_by(job_id=job.id, line=3))
        assert row.state == BulkRowState.SKIPPED and (job.issued, job.skipped) == (2, 1)

    def test_job_cannot_start_twice_or_without_valid_rows(self, college, mailer):
        job = bulk.create_job(college, make_csv(1).encode())
        bulk.start_job(job)
        with pytest.raises(ServiceError):
            bulk.start_job(job)
        empty = bulk.create_job(college, make_csv(2, broken=2).encode())
        with pytest.raises(ServiceError):
            bulk.start_job(empty)

    def test_rows_page_lists_invalid_first(self, college):
        job = bulk.create_job(college, make_csv(30, broken=0).encode()
                              + b"x;;K0692;;;;\r\n")
        page = bulk.rows_page(job, 1, per_page=10)
        assert page.pages == 4 and page.rows[0].line == 32 and page.rows[1].line == 2


WITHDRAWN = "Regel {line}, kolom prestatie: deze prestatie is niet meer gepubliceerd."


def _achievement_named(org, name) -> Achievement:
    return db.session.scalar(db.select(Achievement).filter_by(organisation_id=org.id, name=name))


def _rows(job) -> dict[int, BulkRow]:
    return {r.line: r for r in db.session.scalars(db.select(BulkRow).filter_by(job_id=job.id))}


class TestRunJobInChunks:
    def test_rows_of_an_achievement_withdrawn_after_preview_become_invalid(self, college, mailer,
                                                                           monkeypatch):
        monkeypatch.setattr(bulk, "CHUNK", 2)  # withdrawn rows in every chunk, also the ones in flight
        codes = ["K0692", "25498"] * 3  # lines 2, 4, 6 stay; 3, 5, 7 are withdrawn
        raw = "e-mail;naam;prestatie;periode\r\n" + "".join(
            f"w{n}@example.nl;Lerende {n};{code};2026-P1\r\n" for n, code in enumerate(codes))
        job = bulk.create_job(college, raw.encode())
        assert (job.total, job.valid, job.invalid) == (6, 6, 0)
        certificate = _achievement_named(college, "Mbo-certificaat Helpende zorg en welzijn: basiszorg")
        before = db.session.scalar(db.select(db.func.count(Credential.id)).filter_by(
            achievement_id=certificate.id))
        achievements.archive(certificate, actor_id=None)  # between preview and issuing

        bulk.start_job(job)
        db.session.refresh(job)
        assert job.state == BulkJobState.DONE
        assert (job.total, job.valid, job.invalid, job.issued, job.skipped) == (6, 3, 3, 3, 0)
        assert bulk.status(job)["progress"] == 100 and job.counts["pending"] == 0
        rows = _rows(job)
        for line in (3, 5, 7):
            assert rows[line].state == BulkRowState.INVALID and rows[line].credential_id is None
            assert rows[line].errors == [{"field": "achievement",
                                          "message": WITHDRAWN.format(line=line)}]
        for line in (2, 4, 6):
            assert rows[line].state == BulkRowState.ISSUED and rows[line].errors == []
            cred = db.session.get(Credential, rows[line].credential_id)
            assert cred.recipient_email == rows[line].data["email"]
            assert cred.achievement_id != certificate.id
        assert db.session.scalar(db.select(db.func.count(Credential.id)).filter_by(
            achievement_id=certificate.id)) == before
        assert sorted(m.to for m in mailer.sent) == ["w0@example.nl", "w2@example.nl",
                                                     "w4@example.nl"]
        problems = bulk.problem_rows_csv(job)
        assert all(WITHDRAWN.format(line=line) in problems for line in (3, 5, 7))

    def test_job_whose_every_row_was_withdrawn_ends_done_with_nothing_issued(self, college,
                                                                              mailer):
        job = bulk.create_job(college, make_csv(3).encode())
        achievements.archive(_achievement_named(college, "Zorg voor mensen met dementie"),
                             actor_id=None)
        before = _credentials(college)
        bulk.start_job(job)
        db.session.refresh(job)
        assert job.state == BulkJobState.DONE
        assert (job.valid, job.invalid, job.issued, job.skipped) == (0, 3, 0, 0)
        assert {r.state for r in _rows(job).values()} == {BulkRowState.INVALID}
        assert _credentials(college) == before and mailer.sent == []

    def test_job_of_several_chunks_issues_every_row_exactly_once(self, college, mailer,
                                                                 monkeypatch):
        monkeypatch.setattr(bulk, "CHUNK", 4)  # 11 rows: chunks of 4, 4 and 3
        steps: list[tuple[str, frozenset[str]]] = []
        real_start, real_finish = issuing.start_batch, issuing.finish_batch

        def start(org, requests, **kwargs):
            pending = real_start(org, requests, **kwargs)
            steps.append(("start", frozenset(kwargs.get("taken", ()))))
            return pending

        def finish(pending, **kwargs):
            steps.append(("finish", frozenset(pending.dedup_keys)))
            return real_finish(pending, **kwargs)

        monkeypatch.setattr(issuing, "start_batch", start)
        monkeypatch.setattr(issuing, "finish_batch", finish)
        job = bulk.create_job(college, make_csv(11).encode())
        before = _credentials(college)
        bulk.start_job(job)
        db.session.refresh(job)

        assert job.state == BulkJobState.DONE and (job.issued, job.skipped) == (11, 0)
        rows = _rows(job)
        assert sorted(rows) == list(range(2, 13))
        assert {r.state for r in rows.values()} == {BulkRowState.ISSUED}
        ids = [r.credential_id for r in rows.values()]
        assert None not in ids and len(set(ids)) == 11
        assert _credentials(college) - before == 11
        for row in rows.values():  # each row points at its own person's credential
            cred = db.session.get(Credential, row.credential_id)
            assert cred.recipient_email == row.data["email"]
            assert cred.dedup_key == issuing.dedup_key(row.data["email"], cred.achievement,
                                                       row.data["period"])
        assert sorted(m.to for m in mailer.sent) == sorted(r.data["email"] for r in rows.values())

        # Two chunks in flight: the next is planned (told what the one before takes)
        # before the one before is stored.
        assert [name for name, _ in steps] == ["start", "start", "finish", "start", "finish",
                                               "finish"]
        first_keys, second_keys = steps[2][1], steps[4][1]
        assert len(first_keys) == 4 and len(second_keys) == 4
        assert steps[0][1] == frozenset() and steps[1][1] == first_keys
        assert steps[3][1] == second_keys


class TestRunJobBesideOtherIssuers:
    def test_issues_by_others_between_chunks_do_not_disturb_the_job(self, app, committed_db,
                                                                    mailer, monkeypatch):
        """A credential issued elsewhere (a web request) while a job runs, after each chunk.

        The job plans its next chunk before it stores the one before; whatever it
        reserves then must not clash with what another session writes meanwhile.
        """
        from badges.demo.loader import load_demo

        monkeypatch.setattr(bulk, "CHUNK", 2)  # 10 rows: five chunks, more than the retries
        slug = "maasvallei-zorg-welzijn"
        others: list[str] = []
        errors: list[BaseException] = []
        conflicts: list[Conflict] = []
        real_finish, real_notify = issuing.finish_batch, notifications.notify_issued

        def issue_elsewhere() -> None:  # its own app context: own session and connection
            try:
                with app.test_request_context():
                    org = db.session.scalar(db.select(Organisation).filter_by(slug=slug))
                    a = _achievement_named(org, "Basiszorg")
                    with events.muted():  # announcing it would start yet another issue here
                        others.append(issuing.issue(org, issuing.IssueRequest(
                            achievement=a, recipient_email=f"elders{len(others)}@example.nl")).uuid)
                    db.session.remove()
            except BaseException as exc:  # reported by the test, not lost in the thread
                errors.append(exc)

        def notify_after_another_issue(done):  # the job has just committed a chunk
            thread = threading.Thread(target=issue_elsewhere)
            thread.start()
            thread.join(timeout=60)
            assert not thread.is_alive()
            return real_notify(done)

        def finish(pending, **kwargs):
            try:
                return real_finish(pending, **kwargs)
            except Conflict as exc:
                conflicts.append(exc)
                raise

        with app.test_request_context():
            load_demo()
            org = db.session.scalar(db.select(Organisation).filter_by(slug=slug))
            job = bulk.create_job(org, make_csv(10).encode())
            job_id = job.id
            monkeypatch.setattr(notifications, "notify_issued", notify_after_another_issue)
            monkeypatch.setattr(issuing, "finish_batch", finish)
            bulk.start_job(job)
            db.session.remove()

            job = db.session.get(BulkJob, job_id)
            assert errors == []
            assert job.state == BulkJobState.DONE, job.error
            assert (job.issued, job.skipped) == (10, 0)
            assert conflicts == []  # no chunk had to be planned and signed again
            assert len(others) == 5
            rows = _rows(job)
            assert {r.state for r in rows.values()} == {BulkRowState.ISSUED}
            ids = {r.credential_id for r in rows.values()}
            assert len(ids) == 10
            stored = set(db.session.scalars(db.select(Credential.uuid).where(
                Credential.uuid.in_(others))))
            assert stored == set(others)
            for row in rows.values():
                assert db.session.get(Credential, row.credential_id).recipient_email == \
                    row.data["email"]
            db.session.remove()
