"""The web app factory: settings, extensions, blueprints, error pages."""

from __future__ import annotations

import contextlib
from pathlib import Path

from flask import Flask
from jinja2 import FileSystemBytecodeCache

ROOT = Path(__file__).resolve().parent.parent  # templates/, static/, translations/ live here


def create_app(test_config: dict | None = None) -> Flask:
    """Build the web app: settings, extensions, blueprints, error pages."""
    from .rendering import require_raqm

    require_raqm()
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from . import config
    from .logs import keep_typed_text_out
    from .web.uploads import UploadRequest

    app.request_class = UploadRequest  # photo uploads: their own limit, kept in memory
    # The app's log, and werkzeug's (`make run` serves with it: it logs every request line).
    keep_typed_text_out(app.logger.name, "werkzeug")
    app.config.from_mapping(config.defaults(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    config.prepare(app.config)
    app.jinja_env.bytecode_cache = CompiledTemplates(app.config["POSTER_CACHE_DIR"])
    register_extensions(app)
    register_blueprints(app)
    register_protections(app)
    register_errorhandlers(app)
    register_commands(app)
    register_background_work(app)
    return app


class CompiledTemplates(FileSystemBytecodeCache):
    """Templates compiled once and kept in POSTER_CACHE_DIR/templates for the next start: a
    server's warm-up compiled all of them again (0.24 s of CPU; read back, 0.015 s). Jinja
    checks each entry against its template's source (an edited template is compiled again)
    and its own version, and writes an entry whole (a temporary file renamed). Where the
    folder can't be written, templates are compiled as before."""

    def __init__(self, cache_dir: str):
        folder = Path(cache_dir) / "templates"
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder))

    def dump_bytecode(self, bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def register_extensions(app: Flask) -> None:
    from . import database, rendering
    from .extensions import babel, csrf
    from .images import image_bytes
    from .web.ui_language import get_locale

    rendering.init_app(
        app, images=image_bytes
    )  # before the database: adopting legacy banners renders
    csrf.init_app(app)
    database.init_app(app)
    babel.init_app(
        app, locale_selector=get_locale, default_translation_directories=str(ROOT / "translations")
    )


def register_blueprints(app: Flask) -> None:
    from .extensions import csrf
    from .web import (
        actions,
        api,
        assets,
        auth,
        banners,
        campaigns,
        feeds,
        formatting,
        gallery,
        i18n,
    )
    from .web.security import RecordNumber

    # `<int:…>` in every route: a number no id column holds is a 404, not a database error.
    app.url_map.converters["int"] = RecordNumber
    formatting.init_app(app)  # template filters
    assets.init_app(app)  # hashed static names, compression
    app.register_blueprint(banners.bp)
    app.register_blueprint(i18n.bp)
    for feature in (auth, gallery, actions, feeds, campaigns):
        app.register_blueprint(feature.bp)
    # The API takes application/json only, which a cross-site form cannot send, so no token.
    csrf.exempt(api.bp)
    app.register_blueprint(api.bp)


def register_protections(app: Flask) -> None:
    """Security headers on every response; rate limits on rendering and log-ins."""
    from .web import limits, security

    security.init_app(app)
    limits.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from .web import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from . import commands

    commands.init_app(app)


def register_background_work(app: Flask) -> None:
    """The campaign keeper starts in each process that serves, at its first request
    (campaigns.resume_here), never in one that only builds the app."""
    from .campaigns import resume_here

    app.before_request(resume_here)


def close_database(app: Flask) -> None:
    """Close the app's database connections. In a process about to fork workers from its app
    (gunicorn's master, `preload_app`), so that no worker inherits a PostgreSQL socket or an
    SQLite file that another process uses (SQLAlchemy's "Using Connection Pools with
    Multiprocessing or os.fork()"): each worker opens its own. Redis clients need nothing:
    redis-py's pools start afresh in a process with another pid. And in a worker leaving
    without Python's teardown (gunicorn.conf.py's worker_exit)."""
    from .extensions import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


def warm(app: Flask) -> None:
    """Fill, once, the caches each worker would fill on its first requests, so that workers
    forked from this process (gunicorn's master, `preload_app`) start with them: the templates
    compiled, the form's language tables in the default interface language (Babel's data
    for every offered language: most of a first form page's time), the modules that make
    files imported, the models' mappers configured (SQLAlchemy does it at a process's first
    query: 25 of the ~70 ms a new worker's first requests took more than later ones), and the
    engine (below)."""
    from sqlalchemy.orm import configure_mappers

    from .rendering import import_file_makers
    from .slogan_languages import script_table
    from .web.forms import language_choices

    import_file_makers()
    configure_mappers()
    with app.test_request_context():
        for name in app.jinja_env.list_templates(extensions="html"):
            app.jinja_env.get_template(name)
        script_table()
        language_choices()
        warm_engine(app)


def warm_engine(app: Flask) -> None:
    """A live preview of the phrasebook's first phrase in each script it is written in: the
    fonts opened (FreeType maps their files: no descriptor is left open), the engine's
    per-process caches filled. In a fork of a process warmed so, the first preview of each
    script costs 1.3 times a later one instead of 1.8 (what is left is the fork's copied
    pages). PNG only, never a PDF: a PDF leaves its font file open for fontTools' lazy reads
    (layout.pdffonts), and forks sharing one open file share its offset."""
    from .layout import Spec, language
    from .phrasebook import phrases, translations
    from .rendering import renderer

    scripts = set()
    for lang, text in translations(phrases()[0].id).items():
        script = language(lang).script
        if script not in scripts:
            scripts.add(script)
            spec = Spec.from_options({"text": text, "lang": lang})
            renderer().preview_png(spec, app.config["PREVIEW_WIDTH"])
