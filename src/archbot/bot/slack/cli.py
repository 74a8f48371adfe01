"""`archbot slack`: runs the Slack app in Socket Mode (SLACK_APP_TOKEN set) or over HTTP."""

from __future__ import annotations

import logging

import click

from archbot.bot.edge import friendly_errors
from archbot.kernel.errors import ConfigError
from archbot.kernel.settings import Settings


@click.command("slack")
@click.option("--http", "force_http", is_flag=True, help="Serve HTTP even when SLACK_APP_TOKEN is set.")
@click.option("--port", default=3000, show_default=True, help="HTTP port.")
@click.option(
    "--host", default="0.0.0.0", show_default=True, help="HTTP interface (put a TLS proxy in front)."
)
@click.pass_obj
@friendly_errors
def slack_command(settings: Settings, force_http: bool, port: int, host: str) -> None:
    """Run the Slack app: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP at /slack/events."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_bolt.error import BoltError

    from archbot.bot.slack.app import build_app
    from archbot.bot.slack.server import EVENTS_PATH, make_http_server

    logging.getLogger("archbot.bot.slack").setLevel(logging.INFO)
    socket_mode = bool(settings.slack_app_token) and not force_http
    _check_credentials(settings, socket_mode)
    from archbot.bot.slack.deps import Deps

    deps = Deps(settings)
    readiness = deps.warm()
    click.echo(
        f"archbot: ready in {readiness.seconds:.1f} s ({readiness.documents} documents, "
        f"{readiness.chunks} chunks; {settings.slack_workers} workers, queue {settings.slack_queue})",
        err=True,
    )
    syncing = deps.start_sync()
    if syncing is not None:
        click.echo(
            f"archbot: syncing {len(deps.config.sources)} source(s) now and every "
            f"{deps.config.sync_interval_minutes} min",
            err=True,
        )
    elif not readiness.documents:
        click.echo("archbot: no documents indexed yet; run `archbot ingest PATH`", err=True)
    try:
        app = build_app(settings, deps)
    except BoltError:
        raise ConfigError(
            "Slack rejected SLACK_BOT_TOKEN (auth.test failed).",
            "Copy the Bot User OAuth Token from your app's OAuth & Permissions page.",
        ) from None
    if socket_mode:
        click.echo("archbot: connecting to Slack in Socket Mode", err=True)
        SocketModeHandler(app, app_token=settings.slack_app_token).start()
        return
    server = make_http_server(
        app,
        host,
        port,
        signing_secret=settings.slack_signing_secret or "",
        max_body_bytes=settings.slack_max_body_bytes,
        ready=deps.not_ready,
    )
    click.echo(f"archbot: listening on http://{host}:{server.server_port}{EVENTS_PATH}", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _check_credentials(settings: Settings, socket_mode: bool) -> None:
    if not settings.slack_bot_token:
        raise ConfigError(
            "SLACK_BOT_TOKEN is not set.", "Copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions."
        )
    if not socket_mode and not settings.slack_signing_secret:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set; HTTP mode needs it to verify requests.",
            "Copy it from Basic Information → App Credentials, or set SLACK_APP_TOKEN for Socket Mode.",
        )
