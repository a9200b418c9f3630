"""The ``badges`` command: a FlaskGroup with the service's own commands."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, cast

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from badges import create_app

if TYPE_CHECKING:
    from werkzeug.local import LocalProxy


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False)
def main() -> None:
    """Skillspas: issue, keep and verify Open Badges 3.0 credentials."""


@click.command("demo")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@with_appcontext
def demo_command(as_json: bool) -> None:
    """Load the demo data (safe to run again: it changes nothing the second time)."""
    from badges.demo.loader import load_demo

    result = load_demo()
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"Demo ready: {len(result['issuers'])} issuers, "
               f"{len(result['achievements'])} achievements, {len(result['accounts'])} accounts.")
    for account in result["accounts"]:
        click.echo(f"  {account['role']:<15} {account['email']:<36} {account['password']}")


@click.group("token")
def token_group() -> None:
    """API tokens for issuers."""


@token_group.command("create")
@click.option("--issuer", "slug", required=True, help="The organisation's slug.")
@click.option("--name", default="cli", help="A label to recognise the token by.")
@with_appcontext
def token_create(slug: str, name: str) -> None:
    """Print a new API token for an issuer (it is shown only once)."""
    from badges.kernel.db import db
    from badges.organisations.api_tokens import create_api_token
    from badges.organisations.models import Organisation

    org = db.session.scalar(db.select(Organisation).filter_by(slug=slug))
    if org is None:
        raise click.ClickException(f"no issuer with slug {slug!r}")
    click.echo(create_api_token(org, name))


@click.command("verify")
@click.argument("source")
@click.option("--email", default=None, help="Check the credential was issued to this email.")
@with_appcontext
def verify_command(source: str, email: str | None) -> None:
    """Verify a credential file (JSON, JWT, PNG or SVG; - for stdin) and print the report.

    Exits 0 when the credential is valid, 1 otherwise.
    """
    from badges.verification.services import verify_upload

    data = sys.stdin.buffer.read() if source == "-" else open(source, "rb").read()  # noqa: SIM115
    report = verify_upload(data, recipient_email=email)
    click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    sys.exit(0 if report["verified"] else 1)


@click.command("bench")
@click.option("-n", "count", default=200, show_default=True, help="Credentials per measurement.")
def bench_command(count: int) -> None:
    """Sign and verify credentials on one core and print the figures as JSON."""
    from badges.credentials.bench import run_bench

    click.echo(json.dumps(run_bench(count), indent=2))


@click.command("worker")
@with_appcontext
def worker_command() -> None:
    """Run a background worker (needs BADGES_REDIS_URL)."""
    from flask import current_app
    from redis import Redis
    from rq import Worker

    from badges.kernel.jobs import queue_name, requeue_abandoned, use_app_for_jobs

    url = current_app.config["BADGES"]["REDIS_URL"]
    if not url:
        raise click.ClickException("set BADGES_REDIS_URL to run a worker; without it jobs run inline")
    app = cast("LocalProxy[Flask]", current_app)._get_current_object()
    for job_id in requeue_abandoned(app):  # jobs of workers on this machine that were killed
        click.echo(f"requeued abandoned job {job_id}", err=True)
    use_app_for_jobs(app)  # work horses are forked from this process: they reuse the app
    Worker([queue_name(app)], connection=Redis.from_url(url)).work(with_scheduler=True)


@click.group("jobs")
def jobs_group() -> None:
    """Background jobs (RQ on BADGES_REDIS_URL)."""


@jobs_group.command("requeue")
@with_appcontext
def jobs_requeue_command() -> None:
    """Requeue jobs whose worker on this machine died (killed, out of memory, reboot)."""
    from flask import current_app

    from badges.kernel.jobs import requeue_abandoned

    if not current_app.config["BADGES"]["REDIS_URL"]:
        raise click.ClickException("set BADGES_REDIS_URL: without it jobs run inline")
    ids = requeue_abandoned(cast("LocalProxy[Flask]", current_app)._get_current_object())
    click.echo(json.dumps({"requeued": ids}))


@click.group("keys")
def keys_group() -> None:
    """Signing keys: rotation and re-encryption."""


@keys_group.command("rotate")
@click.option("--issuer", "slug", required=True)
@with_appcontext
def keys_rotate(slug: str) -> None:
    """Start signing with a new key; old credentials keep verifying."""
    from badges.issuing import keystore
    from badges.kernel.db import db
    from badges.organisations.models import Organisation

    org = db.session.scalar(db.select(Organisation).filter_by(slug=slug))
    if org is None:
        raise click.ClickException(f"no issuer with slug {slug!r}")
    click.echo(keystore.rotate(org).kid)


@keys_group.command("reencrypt")
@click.option("--old-secret", envvar="BADGES_OLD_KEY_ENCRYPTION_SECRET", required=True)
@with_appcontext
def keys_reencrypt(old_secret: str) -> None:
    """Re-encrypt every private key under the current BADGES_KEY_ENCRYPTION_SECRET."""
    from flask import current_app

    from badges.issuing import keystore

    count = keystore.reencrypt_all(old_secret, current_app.config["BADGES"]["KEY_ENCRYPTION_SECRET"])
    click.echo(f"re-encrypted {count} keys")


@click.command("check-emails")
@with_appcontext
def check_emails_command() -> None:
    """List stored addresses that are not in their normal form (NFKC, IDNA) or look alike."""
    from badges.accounts.services import addresses_to_review

    found = addresses_to_review()
    click.echo(json.dumps({"to_review": found}, ensure_ascii=False, indent=2))
    if found:
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    """Add the service's commands to the app's CLI (so test runners see them too)."""
    for command in (demo_command, token_group, verify_command, bench_command, worker_command,
                    jobs_group, check_emails_command,
                    keys_group):
        app.cli.add_command(command)
