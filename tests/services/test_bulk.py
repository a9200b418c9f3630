"""Bulk issuing from CSV: parsing as Excel writes it, row checks, the job and its resumption."""

from __future__ import annotations

import pytest

from badges.errors import ServiceError
from badges.extensions import db
from badges.models import BulkJobState, BulkRow, BulkRowState, Credential, Organisation
from badges.services import bulk, issuing
from badges.services.bulk_csv import parse, sniff_delimiter, template_csv
from badges.services.mail import LogMailer
from badges.services.verification import verify_upload

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
        from badges.services import bulk_csv

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

    def test_rows_skipped_when_already_issued_elsewhere(self, college, mailer):
        from badges.services.bulk_csv import achievement_lookup

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
