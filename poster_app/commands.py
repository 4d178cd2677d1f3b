"""App commands: `flask --app poster_app editors add NAME`, `seed-demo`, `export`, `import`."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .integrity import check_command
from .models import Action, Banner, Editor

editors = AppGroup("editors", help="Manage the editors who keep the gallery.")


def init_app(app: Flask) -> None:
    app.cli.add_command(editors)
    app.cli.add_command(seed_demo)
    app.cli.add_command(export_archive)
    app.cli.add_command(import_archive)
    app.cli.add_command(check_command)
    app.cli.add_command(worker)


@editors.command("add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def add_editor(name: str, password_stdin: bool) -> None:
    """Add an editor called NAME (asks for the password)."""
    name = name.strip()
    if db.session.scalars(select(Editor).filter_by(name=name)).first() is not None:
        raise click.ClickException(f"an editor called {name!r} exists already")
    editor = Editor(name=name)
    editor.set_password(read_password(password_stdin))
    db.session.add(editor)
    try:
        db.session.commit()
    except IntegrityError:  # the same name added at the same moment by another command
        db.session.rollback()
        raise click.ClickException(f"an editor called {name!r} exists already") from None
    click.echo(f"Added the editor {name}.")


def read_password(from_stdin: bool) -> str:
    """A new password, typed twice (or one line of standard input), long enough."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < Editor.MIN_PASSWORD:
        raise click.ClickException(f"the password needs at least {Editor.MIN_PASSWORD} characters")
    return password


@editors.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def change_password(name: str, password_stdin: bool) -> None:
    """Give the editor called NAME a new password and end every session they have (a password
    someone else learnt: whoever used it is logged out too)."""
    from . import logins

    editor = find_editor(name)
    editor.set_password(read_password(password_stdin))
    ended = logins.end_all(editor)  # commits the new password with it
    click.echo(f"New password for {editor.name}; ended {ended} session(s).")


def find_editor(name: str) -> Editor:
    editor = db.session.scalars(select(Editor).filter_by(name=name.strip())).first()
    if editor is None:
        raise click.ClickException(f"no editor is called {name!r}")
    return editor


@editors.command("logout")
@click.argument("name")
def logout_editor(name: str) -> None:
    """End every session of the editor called NAME (a lost or seized phone)."""
    from . import logins

    editor = find_editor(name)
    click.echo(f"Ended {logins.end_all(editor)} session(s) of {editor.name}.")


@editors.command("list")
def list_editors() -> None:
    """List the editors' names (or say how to add the first)."""
    names = db.session.scalars(select(Editor.name).order_by(Editor.name)).all()
    for name in names:
        click.echo(name)
    if not names:
        click.echo(
            "No editors yet. Add the first (only on this server's command line):\n"
            "  .venv/bin/flask --app poster_app editors add NAME",
            err=True,
        )


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing if there are actions or banners.")
def seed_demo(if_empty: bool) -> None:
    """Record the demo actions with their banners rendered and kept in the gallery."""
    if if_empty and (
        db.session.scalar(select(func.count(Action.id)))
        or db.session.scalar(select(func.count(Banner.id)))
    ):
        return
    made = load_demo()
    click.echo(f"Recorded {made} demo actions.")


def load_demo(path: Path | None = None) -> int:
    """Record the demo file's actions (skipping ones already there); return how many were new."""
    from .layout import Spec
    from .storage import save_banner

    text = (
        path.read_text("utf-8")
        if path
        else resources.files("poster_app").joinpath("demo/actions.json").read_text("utf-8")
    )
    made = 0
    for item in json.loads(text)["actions"]:
        action = db.session.scalars(select(Action).filter_by(title=item["title"])).first()
        if action is None:
            action = Action(
                title=item["title"],
                place=item["place"],
                country=item["country"],
                description=item["description"],
            )
            action.set_date(item["date"])
            db.session.add(action)
            db.session.commit()
            made += 1
        for options in item["banners"]:
            banner = save_banner(Spec.from_options({"size": "a3", **options}))
            banner.published, banner.action_id = True, action.id
            db.session.commit()
    return made


@click.command("export")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_archive(file: Path) -> None:
    """Write every record and media file to FILE.zip (a backup, or a move to another server)."""
    from . import archive

    counts, missing = archive.export_zip(file, Path(current_app.config["POSTER_DATA_DIR"]))
    for name in missing:
        click.echo(f"left out (missing or misnamed): {name}; see `flask check`", err=True)
    click.echo(
        "Exported " + ", ".join(f"{n} {table}" for table, n in counts.items()) + f" to {file}"
        " (readable by you only: it holds the editors' password hashes)."
    )


@click.command("import")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_archive(file: Path) -> None:
    """Load FILE.zip (made by `export`) into this data dir, whose database must be empty."""
    from . import archive

    try:
        counts = archive.import_zip(file, Path(current_app.config["POSTER_DATA_DIR"]))
    except archive.ArchiveError as e:
        raise click.ClickException(str(e)) from None
    click.echo("Imported " + ", ".join(f"{n} {table}" for table, n in counts.items()) + ".")


@click.command("worker")
@with_appcontext
def worker() -> None:
    """Make campaign banners from the Redis queue (REDIS_URL) until stopped; run as many as
    you like, on any machine that reaches the database and Redis."""
    import os

    from . import campaigns, jobs, rendering

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException(
            "REDIS_URL is not set: without Redis, campaigns are made by the app's own "
            "threads and no worker is needed"
        )
    # Renders yield the CPU to the app servers' requests on a shared machine.
    os.nice(current_app.config["WORKER_NICE"])
    campaigns.keep_leases(forever=True)  # queues again what dead workers left
    rendering.import_file_makers()  # once here, not in each job's fork
    click.echo(f"worker {jobs.token()}: waiting for campaign jobs on {jobs.QUEUE!r}")
    jobs.work(current_app._get_current_object())  # type: ignore[attr-defined]
