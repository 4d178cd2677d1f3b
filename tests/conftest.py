"""Fixtures for the web app: an app on a temporary data dir, its test client and CLI runner.

The migrations run once per session (per xdist worker) into a template database; each test's
app starts from a copy of it (`migrated_db`): a copied SQLite file, or on PostgreSQL a
database created `TEMPLATE` the migrated one. A test about the start-up on an empty data dir
calls `create_app` itself.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from db_helpers import Template
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy.engine import make_url
from web_helpers import EDITOR, BufferedClient, Clock, password_checked_once

ROOT = Path(__file__).resolve().parent.parent


def _engine_keeps_its_cache() -> None:
    """Keep the engine's parsed hyphenation patterns between processes, in POSTER_CACHE_DIR as
    the app and `poster` do. Unconfigured, each xdist worker parsed every language's patterns
    itself until its first app configured the engine (a third of collection: test_fit
    measures its texts at import); the parse is the same, only read from the pickle."""
    from poster_app import config
    from poster_app.layout import settings

    settings.configure(cache_dir=config.cache_dir())


_engine_keeps_its_cache()


def _url_builders_compiled_once() -> None:
    """Compile each URL rule's builder once per test process, as a serving app does once per
    process: every test builds a new app, and werkzeug wrote and compiled Python source for
    each of its ~100 rules again (6 % of the web tests' CPU in py-spy). The builder is a
    function of the rule's text, its parsed parts and its defaults' names only; it reaches
    the rule itself (its converters) through the `self` it is bound to, so each app's rules
    keep their own converters and the URLs built are the same. A rule with a default for one
    of its own variables folds that value into its code: it is compiled as before."""
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    compiled: dict[tuple, object] = {}

    def once(self: Rule, append_unknown: bool = True):
        defaults = self.defaults or {}
        if any(dynamic and name in defaults for dynamic, name in self._trace):
            return compile_builder(self, append_unknown)
        key = (append_unknown, self.rule, tuple(self._trace), tuple(defaults))
        if key not in compiled:
            compiled[key] = compile_builder(self, append_unknown)
        return compiled[key]

    Rule._compile_builder = once


_url_builders_compiled_once()


def _url_rules_parsed_once() -> None:
    """Parse each URL rule's text once per test process, as a serving app does once per
    process: every test builds a new app, and werkzeug parsed each of its ~100 rules again
    (a quarter of create_app in cProfile). What the parse makes — the parts the matcher
    reads, the trace the builders are made from, each variable's converter name and
    arguments — follows from the rule's text and the map's converter classes alone, so it is
    kept by those; each rule still gets converters of its own, made for its own map, as the
    parse makes them."""
    from werkzeug.routing.rules import Rule

    parse = Rule._parse_rule
    parsed: dict[tuple, tuple] = {}

    def once(self: Rule, rule: str):
        key = (rule, tuple(self.map.converters.items()))
        if key not in parsed:
            traced, made = len(self._trace), []
            get_converter = self.get_converter

            def noted(variable, name, args, kwargs):
                made.append((variable, name, args, kwargs))
                return get_converter(variable, name, args, kwargs)

            self.get_converter = noted
            try:
                parts = list(parse(self, rule))
            finally:
                del self.get_converter
            parsed[key] = (parts, self._trace[traced:], made)
            return parts
        parts, trace, made = parsed[key]
        self._trace.extend(trace)
        for variable, name, args, kwargs in made:
            self._converters[variable] = self.get_converter(variable, name, args, kwargs)
            self.arguments.add(variable)
        return parts

    Rule._parse_rule = once


_url_rules_parsed_once()


def _static_files_hashed_once() -> None:
    """Test apps on one static folder share what their Assets read (each file's mtime, hash
    and body), as the requests of one serving app do: each test's new app read and hashed
    every file its first page names again (~7 ms an app). Assets still checks each file's
    mtime on every use, so a changed file is read again; an Assets on another folder (the
    tmp folders of test_assets) keeps its own."""
    from poster_app.web.assets import Assets

    init = Assets.__init__
    shared: dict[Path, tuple[dict, object]] = {}

    def sharing(self, folder) -> None:
        init(self, folder)
        self._files, self._lock = shared.setdefault(self.folder, (self._files, self._lock))

    Assets.__init__ = sharing


_static_files_hashed_once()


def _queries_compiled_once() -> None:
    """Compile each SQL statement once per test process, as a serving app does once per
    process: every test app has an Engine of its own, and SQLAlchemy's compiled cache is
    keyed by the dialect object, so each test compiled every query it ran again (the
    engine's cache for queries, each mapper's for the ORM's inserts, updates and deletes).
    Here both are keyed by what the dialect is instead: its class and its settings (the
    same in every test app: made by the same create_app from the same options, against the
    same SQLite library or PostgreSQL server), so an equal dialect finds the SQL compiled
    for the first one. A dialect whose settings differ keeps its own entries."""
    import types
    import weakref

    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy.orm import Mapper
    from sqlalchemy.util import LRUCache
    from sqlalchemy.util.langhelpers import HasMemoized

    kinds: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
    plain = (str, int, float, bool, type(None), tuple, types.ModuleType, types.FunctionType)

    def kind(dialect) -> tuple:
        # Read at the first compile: the dialect has met its database (initialize) by then.
        if dialect not in kinds:
            settings = sorted(
                (name, value if isinstance(value, plain) else type(value))
                for name, value in vars(dialect).items()
            )
            kinds[dialect] = (type(dialect), tuple(settings))
        return kinds[dialect]

    class ByKindOfDialect(LRUCache):
        """SQLAlchemy's LRU cache of compiled statements, its keys' dialect read as its kind."""

        def get(self, key, default=None):
            return super().get((kind(key[0]), *key[1:]), default)

        def __setitem__(self, key, value) -> None:
            super().__setitem__((kind(key[0]), *key[1:]), value)

    queries = ByKindOfDialect(5000)
    make_engine = SQLAlchemy._make_engine

    def sharing(self, bind_key, options, app):
        engine = make_engine(self, bind_key, options, app)
        if engine._compiled_cache is not None:
            engine._compiled_cache = queries
        return engine

    SQLAlchemy._make_engine = sharing

    def mapper_cache(self) -> ByKindOfDialect:
        return ByKindOfDialect(self._compiled_cache_size)

    mapper_cache.__name__ = "_compiled_cache"
    Mapper._compiled_cache = HasMemoized.memoized_attribute(mapper_cache)


_queries_compiled_once()


def compile_catalogs() -> None:
    """Compile stale UI catalogs, as `make setup` does, so a bare `pytest` sees translations
    (written whole under a temporary name: parallel workers may compile one at once)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from poster_app.files import replacing

    for po in ROOT.glob("translations/*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as f:
                catalog = read_po(f)
            with replacing(mo) as tmp, tmp.open("wb") as f:
                write_mo(f, catalog)


@pytest.fixture(scope="session", autouse=True)
def _catalogs():
    compile_catalogs()


def pytest_collection_finish(session):
    """Take what collection made out of the garbage collector's sight: the modules, fonts,
    corpora and test items (~250,000 objects) live to the end, and every full collection in a
    test process walked them all again (a tenth of a web file's CPU went to the collector),
    as did pytest's last gc.collect. The garbage made until now is collected first; what the
    tests make is collected as before."""
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(items):
    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        skip = pytest.mark.skip(reason="about SQLite; this run is on PostgreSQL")
        for item in items:
            if "sqlite" in item.keywords:
                item.add_marker(skip)


def postgres_url() -> str:
    """DATABASE_URL when it names PostgreSQL (make test-postgres), else ''."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgresql") else ""


# The settings of every test app: CSRF off (journey tests use the shipped settings instead).
TEST_CONFIG = {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False}


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory) -> Template:
    """A data dir the migrations ran into, once; each test app starts from a copy."""
    yield from _template(tmp_path_factory, "migrated", None, lambda app: None)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, migrated_db) -> Template:
    """A data dir with the demo loaded (rows and thumbnails), once; `demo` tests copy it."""
    from poster_app.commands import load_demo

    def load(app):
        with app.app_context():
            assert load_demo() == 6

    yield from _template(tmp_path_factory, "demo", migrated_db, load)


def _template(tmp_path_factory, name: str, base: Template | None, fill) -> Iterator[Template]:
    """Make a template data dir (from `base`, if given) and `fill` it through an app: with
    SQLite its database file is in the dir; with PostgreSQL it is a database of its own."""
    from db_helpers import seed_data_dir

    from poster_app import create_app
    from poster_app.extensions import db

    data = tmp_path_factory.mktemp(name)
    if base is not None:
        seed_data_dir(data, base)
    with ExitStack() as stack:
        config = {**TEST_CONFIG, "POSTER_DATA_DIR": str(data)}
        if postgres_url():
            from pg_helpers import fresh_database

            url = stack.enter_context(fresh_database(postgres_url(), base and base.database))
            config["DATABASE_URL"] = url
        app = create_app(config)
        fill(app)
        with app.app_context():
            # Close every connection: SQLite then has its WAL in the file, and PostgreSQL
            # copies a template database only while no one is connected to it.
            db.engine.dispose()
        yield Template(data, make_url(config["DATABASE_URL"]).database if postgres_url() else None)


class _CompiledTemplates(BytecodeCache):
    """Templates compiled once per test process and shared by every test app, as a serving
    app compiles each once: each test's new app compiled every page's templates again (a
    tenth of the web tests' CPU in py-spy). Jinja checks each entry against its template's
    source, so an edited template is compiled again."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()


ENGINE_WORK: dict[tuple, object] = {}  # (function, arguments) → its layout or file bytes
ENGINE_WORK_MAX = 200  # entries: the largest are a few MB of PNG


@pytest.fixture
def engine_work_remembered(monkeypatch):
    """The engine's plans and files, made once per test process for the app's Renderer: for
    tests of what the app does with banners (serving, offering, storing) that remake the
    same banners in each test's new app, not of how they are made (tests/engine does that).
    plan() and the renderers are pure: the same Spec (or frozen Layout) and options give an
    equal Layout and the same bytes (checked for PDFs, which carry no date), so a file
    served from here is byte for byte the one the engine would make again. Not for tests of
    the render gate, caches or timing: there the work itself is what is tested."""
    from poster_app import rendering

    def remembered(make):
        def once(*args, **kwargs):
            key = (make, args, tuple(sorted(kwargs.items())))
            if key in ENGINE_WORK:
                return ENGINE_WORK[key]
            made = make(*args, **kwargs)
            if len(ENGINE_WORK) < ENGINE_WORK_MAX:
                ENGINE_WORK[key] = made
            return made

        return once

    for name in ("plan", "render_png", "render_file"):
        monkeypatch.setattr(rendering, name, remembered(getattr(rendering, name)))


@pytest.fixture
def make_app(migrated_db):
    """Build an app on `data_dir` (a copy of `template`, by default the migrated one) with the
    test settings and `config`."""
    from db_helpers import seed_data_dir

    from poster_app import create_app, jobs

    made = []

    def make(data_dir: Path, template: Template = migrated_db, **config):
        data = seed_data_dir(Path(data_dir), template)
        made.append(create_app({**TEST_CONFIG, "POSTER_DATA_DIR": str(data), **config}))
        made[-1].jinja_env.bytecode_cache = COMPILED_TEMPLATES
        return made[-1]

    yield make
    for app in made:  # before the test's database goes: its keepers would tend it forever
        jobs.stop(app)


def _template_for(request) -> Template:
    """The demo's data for tests that ask for it (`demo`, `demo_db`), else the empty one."""
    name = "demo_db" if {"demo", "demo_db"} & set(request.fixturenames) else "migrated_db"
    return request.getfixturevalue(name)


@pytest.fixture(autouse=True)
def _fresh_postgres(request, monkeypatch):
    """With DATABASE_URL naming PostgreSQL (make test-postgres): each test gets a migrated
    database of its own, as it gets a copied SQLite file otherwise; apps and servers the test
    starts find it through the environment."""
    url = postgres_url()
    if not url:
        yield
        return
    from flask_sqlalchemy import SQLAlchemy
    from pg_helpers import fresh_database
    from sqlalchemy.pool import NullPool

    # No pool: each test's connections close with its sessions, so the database can be dropped.
    make_engine = SQLAlchemy._make_engine
    monkeypatch.setattr(
        SQLAlchemy,
        "_make_engine",
        lambda self, key, options, app: make_engine(
            self, key, {**options, "poolclass": NullPool}, app
        ),
    )
    with fresh_database(url, template=_template_for(request).database) as test_url:
        monkeypatch.setenv("DATABASE_URL", test_url)
        yield


@pytest.fixture
def app(request, make_app, tmp_path):
    return make_app(tmp_path / "data", _template_for(request))


@pytest.fixture
def client(app):
    app.test_client_class = BufferedClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def editor_password_hash() -> str:
    """EDITOR's password hashed as Editor.set_password does (scrypt: 0.2 s), once."""
    from poster_app.models import Editor

    person = Editor(name=EDITOR[0])
    person.set_password(EDITOR[1])
    return person.password_hash


@pytest.fixture
def editor(app, editor_password_hash):
    """An editor in the database (name, password)."""
    from poster_app.extensions import db
    from poster_app.models import Editor

    with app.app_context():
        db.session.add(Editor(name=EDITOR[0], password_hash=editor_password_hash))
        db.session.commit()
    return EDITOR


@pytest.fixture
def throttle_clock(app, monkeypatch):
    """The app's log-in throttle on a Clock: a wait lasts until the test moves the clock, not
    until real seconds pass (on a loaded machine one wrong-password check, scrypt, can outlast
    the 2 s wait after the fifth attempt)."""
    from poster_app.web.auth import throttle

    clock = Clock()
    with app.app_context():
        monkeypatch.setattr(throttle(), "clock", clock)
    return clock


@pytest.fixture
def leave_pages_open(monkeypatch):
    """Call it with an app to leave its open pages past their forms' CSRF tokens (12 hours as
    shipped): the clock the tokens are signed and checked by (itsdangerous's) moves on that
    long, and no one sleeps. Tokens shortened to 1-2 s and a sleep did it before, but then the
    resend page's own new token lived as briefly, and a busy machine overran it (400, not 303)."""
    from itsdangerous.timed import TimestampSigner

    real = TimestampSigner.get_timestamp
    moved = 0
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + moved)

    def leave_open(app) -> None:
        nonlocal moved
        moved += app.config["WTF_CSRF_TIME_LIMIT"] + 1

    return leave_open


@pytest.fixture
def editor_client(client, editor):
    """The test client, logged in as an editor (through /login; its scrypt check once)."""
    with password_checked_once():
        response = client.post("/login", data={"name": editor[0], "password": editor[1]})
    assert response.status_code == 303
    return client


@pytest.fixture
def demo(app):
    """The six demo actions with their banners, kept in the gallery (`app` starts from a copy
    of `demo_db` when a test asks for this)."""
    return app
