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
@click.option("--scope", "scopes", multiple=True, type=click.Choice(["issue", "revoke", "bulk", "read"]),
              help="What the token may do (repeatable); default: all.")
@with_appcontext
def token_create(slug: str, name: str, scopes: tuple[str, ...]) -> None:
    """Print a new API token for an issuer (it is shown only once)."""
    from badges.kernel.db import db
    from badges.organisations.api_tokens import create_api_token
    from badges.organisations.models import Organisation

    org = db.session.scalar(db.select(Organisation).filter_by(slug=slug))
    if org is None:
        raise click.ClickException(f"no issuer with slug {slug!r}")
    click.echo(create_api_token(org, name, scopes=scopes or None))


@click.group("org")
def org_group() -> None:
    """Organisations: create one and invite its first admin."""


@org_group.command("create")
@click.option("--name", required=True, help="The organisation's name.")
@click.option("--kind", required=True, type=click.Choice(
    ["college", "employer", "community", "municipality", "training_provider"]))
@click.option("--parent", "parent_slug", default=None, help="Slug of the organisation above it.")
@click.option("--admin-email", required=True, help="The first admin (gets an invitation).")
@click.option("--admin-name", default="", help="For the invitation's greeting.")
@click.option("--brin", default="")
@click.option("--kvk", default="")
@with_appcontext
def org_create(name: str, kind: str, parent_slug: str | None, admin_email: str,
               admin_name: str, brin: str, kvk: str) -> None:
    """Create an organisation; print JSON with its slug and the invitation link (shown once)."""
    from flask import current_app

    from badges.kernel import urls
    from badges.kernel.errors import InvalidInput, ServiceError
    from badges.organisations import services as organisations
    from badges.organisations import setup
    from badges.organisations.models import OrganisationKind

    # The invitation link is built like any page URL: from BADGES_BASE_URL.
    with current_app.test_request_context(base_url=urls.base_url()):
        parent = None
        if parent_slug:
            parent = organisations.by_slug(parent_slug)
            if parent is None:
                raise click.ClickException(f"no organisation with slug {parent_slug!r}")
        try:
            org, invitation, link = setup.create_with_admin(
                setup.NewOrganisation(name=name, kind=OrganisationKind(kind), brin=brin, kvk=kvk),
                admin_email, admin_name, parent=parent, actor_id=None)
        except InvalidInput as exc:
            raise click.ClickException("; ".join(f"{k}: {v}" for k, v in exc.errors.items())) \
                from exc
        except ServiceError as exc:
            raise click.ClickException(exc.message) from exc
        click.echo(json.dumps({"slug": org.slug, "name": org.name, "kind": org.kind.value,
                               "parent": parent.slug if parent else None,
                               "admin_email": invitation.email, "invitation": link,
                               "expires_at": invitation.expires_at.isoformat()}, indent=2))


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
    """Background jobs (RQ on BADGES_REDIS_URL, inline without it) and their data."""


@jobs_group.command("requeue")
@with_appcontext
def jobs_requeue_command() -> None:
    """Requeue jobs whose worker on this machine died (killed, out of memory, reboot).

    Without BADGES_REDIS_URL jobs run inline: bulk jobs whose process died
    (interrupted) are resumed here, in this process, and finish their pending rows.
    """
    from flask import current_app

    from badges.issuing import bulk
    from badges.kernel.jobs import requeue_abandoned

    if not current_app.config["BADGES"]["REDIS_URL"]:
        click.echo(json.dumps({"resumed": bulk.resume_interrupted()}))
        return
    ids = requeue_abandoned(cast("LocalProxy[Flask]", current_app)._get_current_object())
    click.echo(json.dumps({"requeued": ids}))


@jobs_group.command("tick")
@click.option("--limit", default=500, show_default=True, help="at most this many notices per run")
@with_appcontext
def jobs_tick_command(limit: int) -> None:
    """Send the reminders and notices that are due, each once (safe from cron on every machine)."""
    from flask import current_app

    from badges.reminders.services import tick

    with current_app.test_request_context():  # mails are built in the default language
        click.echo(json.dumps(tick(limit=limit)))

@jobs_group.command("purge")
@with_appcontext
def jobs_purge_command() -> None:
    """Erase e-mail, name and free text of bulk rows past BADGES_BULK_RETENTION_DAYS (cron-safe)."""
    from badges.issuing import bulk

    click.echo(json.dumps({"purged": bulk.purge_expired()}))


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


@click.group("stats")
def stats_group() -> None:
    """Insight's rollups (the figures on the dashboards)."""


@stats_group.command("rebuild")
@with_appcontext
def stats_rebuild_command() -> None:
    """Recount issued, claimed, revoked, suspended and expiring from the credentials.

    Shares, views and verifications are kept: only their events recorded them.
    """
    from badges.insight.counting import rebuild

    click.echo(json.dumps({"rows": rebuild()}))


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
    for command in (demo_command, token_group, org_group, verify_command, bench_command,
                    worker_command, jobs_group, check_emails_command, keys_group, stats_group):
        app.cli.add_command(command)
