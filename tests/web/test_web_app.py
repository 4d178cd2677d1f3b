"""The app factory: settings from the environment, the data dir, error pages."""

from __future__ import annotations

from poster_app import create_app


def test_config_from_test_mapping(app, tmp_path):
    assert app.testing
    assert app.config["POSTER_DATA_DIR"] == str((tmp_path / "data").resolve())
    assert (tmp_path / "data" / "banners").is_dir()


def test_empty_data_dir_is_created_with_a_secret(tmp_path, monkeypatch):
    data = tmp_path / "fresh" / "nested"
    monkeypatch.setenv("POSTER_DATA_DIR", str(data))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert (data / "banners").is_dir()
    assert len(app.config["SECRET_KEY"]) == 64
    assert create_app().config["SECRET_KEY"] == app.config["SECRET_KEY"]  # kept in the data dir
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{data / 'poster.db'}"


def test_settings_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("POSTER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "from-env")
    # Any SQLAlchemy URL; a SQLite file elsewhere stands in for a server here.
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == url
    assert (tmp_path / "elsewhere.db").exists() and not (tmp_path / "poster.db").exists()


def test_unexpected_errors_show_a_page_not_a_trace(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert (
        "Something went wrong" in html and "secret detail" not in html and "Traceback" not in html
    )


def test_method_not_allowed_is_a_page(client):
    response = client.delete("/")
    assert response.status_code == 405 and response.mimetype == "text/html"


def test_the_pixel_cap_is_a_setting(make_app, tmp_path, monkeypatch):
    """POSTER_MAX_PIXELS is read by config.py and handed to the engine by the renderer."""
    monkeypatch.setenv("POSTER_MAX_PIXELS", "500000")
    app = make_app(tmp_path / "data")
    assert app.config["MAX_PIXELS"] == 500_000
    client = app.test_client()
    banner = client.post("/api/banners", json={"text": "Capped", "size": "a4"}).json
    response = client.get(banner["png_url"])
    assert response.status_code == 422
    assert "0.5 megapixel" in response.get_data(as_text=True)
