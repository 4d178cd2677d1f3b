"""Print options from the CLI (`--tile`, `--bleed`, `--crop-marks`, `--hem`) and the web."""

from __future__ import annotations

import re
import subprocess

import pytest
from cli_helpers import render
from test_web_banners import make_banner

from poster_app.cli import length_mm, main
from poster_app.rendering import PRINT_VERSION
from tests.web_helpers import png_size


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def pdf_box(data: bytes, name: str) -> list[float]:
    m = re.search(rb"/" + name.encode() + rb" \[([\d. ]+)\]", data)
    return [float(v) for v in m.group(1).split()]


# --- command line ------------------------------------------------------------------------------


def test_tile_writes_the_map_and_the_sheets(tmp_path):
    out = tmp_path / "t.pdf"
    assert (
        main(["render", "Hands off", "--size", "100x70cm", "--tile", "a4", "--out", str(out)]) == 0
    )
    assert pdf_pages(out) == 17


def test_tile_letter_with_a_wider_overlap(tmp_path):
    out = tmp_path / "t.pdf"
    assert (
        main(
            [
                "render",
                "Hands off",
                "--size",
                "a2",
                "--tile",
                "letter",
                "--overlap",
                "2cm",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert (
        out.read_bytes().count(b"/MediaBox [0 0 612.00 792.00]")
        + out.read_bytes().count(b"/MediaBox [0 0 792.00 612.00]")
        >= 1
    )


def test_bleed_crop_marks_and_hem(tmp_path):
    out = tmp_path / "b.pdf"
    assert (
        main(
            [
                "render",
                "Hands off",
                "--size",
                "banner-200x70cm",
                "--bleed",
                "3mm",
                "--crop-marks",
                "--hem",
                "4cm",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    data = out.read_bytes()
    trim = pdf_box(data, "TrimBox")
    assert trim[2] - trim[0] == pytest.approx(2000 * 72 / 25.4, abs=0.02)
    assert b"(Hem and grommets)" in data


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["hi", "--tile", "a4", "--out", "x.png"], "--tile make a PDF; use --out FILE.pdf"),
        (
            ["hi", "--bleed", "3mm", "--crop-marks", "--out", "x.png"],
            "--bleed, --crop-marks make a PDF",
        ),
        (["hi", "--hem", "40mm"], "--hem make a PDF"),  # default out is .png
        (["hi", "--tile", "a3", "--out", "x.pdf"], "invalid choice: 'a3'"),
        (["hi", "--tile", "a4", "--overlap", "wide", "--out", "x.pdf"], "not a length like 10mm"),
        (
            ["hi", "--tile", "a4", "--overlap", "9cm", "--out", "x.pdf"],
            "overlap must be between 0 and 50 mm",
        ),
        (["hi", "--overlap", "5mm", "--out", "x.pdf"], "--overlap: overlap goes with tile"),
        (["hi", "--tile", "a4", "--bleed", "3mm", "--out", "x.pdf"], "use one or the other"),
        (["hi", "--bleed", "25mm", "--out", "x.pdf"], "bleed must be between 0 and 20 mm"),
        (
            ["hi", "--size", "a4", "--hem", "60mm", "--out", "x.pdf"],
            "hem must be between 0 and 52 mm",
        ),
    ],
)
def test_bad_print_flags_exit_2_with_one_line_and_write_nothing(tmp_path, args, message):
    result = render(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_lengths_take_units():
    assert [length_mm(t) for t in ("10mm", "1cm", "0.5in", "7", " 3 MM ")] == [10, 10, 12.7, 7, 3]


# --- web ---------------------------------------------------------------------------------------


def test_banner_page_offers_the_print_downloads(client):
    banner_id = make_banner(client, size="a0")
    html = client.get(f"/banners/{banner_id}").get_data(as_text=True)
    assert f"/banners/{banner_id}.pdf?tile=a4" in html
    assert f"/banners/{banner_id}.pdf?tile=letter" in html
    assert re.search(rf"/banners/{banner_id}\.pdf\?(bleed=3&amp;crop=1|crop=1&amp;bleed=3)", html)
    assert "hem=40" not in html  # A0 paper: no cloth guides offered
    cloth = make_banner(client, size="banner-300x100cm")
    assert f"/banners/{cloth}.pdf?hem=40" in client.get(f"/banners/{cloth}").get_data(as_text=True)


def test_tiled_download_is_named_and_multi_page(client, tmp_path):
    banner_id = make_banner(client, size="a0")
    response = client.get(f"/banners/{banner_id}.pdf?tile=a4")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "svobodu-anarkhistam-ru-a0-tiled-a4.pdf" in response.headers["Content-Disposition"]
    (tmp_path / "t.pdf").write_bytes(response.data)
    assert pdf_pages(tmp_path / "t.pdf") > 2
    assert response.headers["ETag"].strip('"') == f"{banner_id}-tiled-a4-v{PRINT_VERSION}"
    plain = client.get(f"/banners/{banner_id}.pdf")
    assert plain.data != response.data and "-a0.pdf" in plain.headers["Content-Disposition"]


def test_print_shop_download_has_bleed_and_marks(client):
    banner_id = make_banner(client, size="a3")
    response = client.get(f"/banners/{banner_id}.pdf?bleed=3&crop=1")
    assert response.status_code == 200
    assert (
        "svobodu-anarkhistam-ru-a3-bleed3mm-crop-marks.pdf"
        in response.headers["Content-Disposition"]
    )
    trim, media = pdf_box(response.data, "TrimBox"), pdf_box(response.data, "MediaBox")
    assert trim[2] - trim[0] == pytest.approx(297 * 72 / 25.4, abs=0.02)
    assert media[2] > trim[2] + 3 * 72 / 25.4


@pytest.mark.parametrize(
    "query",
    [
        "tile=a3",
        "tile=a4&overlap=99",
        "overlap=5",
        "bleed=abc",
        "bleed=30",
        "crop=yes",
        "tile=a4&bleed=3",
        "hem=-4",
    ],
)
def test_bad_print_options_are_400(client, query):
    banner_id = make_banner(client)
    assert client.get(f"/banners/{banner_id}.pdf?{query}").status_code == 400


def test_a_hem_too_wide_for_the_page_is_422(client):
    banner_id = make_banner(client, size="a3")  # short side 297 mm: at most 74 mm
    response = client.get(f"/banners/{banner_id}.pdf?hem=100")
    assert response.status_code == 422
    assert "hem must be between 0 and 74 mm" in response.get_data(as_text=True)


def test_a_hem_over_the_slogan_is_noted_not_refused(tmp_path):
    out = tmp_path / "c.pdf"
    wide = render(
        "Hands off our streets", "--size", "banner-200x70cm", "--hem", "60mm", "--out", str(out)
    )
    assert wide.returncode == 0 and "reaches into the 60 mm hem" in wide.stderr
    assert out.exists()
    narrow = render(
        "Hands off our streets", "--size", "banner-200x70cm", "--hem", "20mm", "--out", str(out)
    )
    assert narrow.returncode == 0 and narrow.stderr == ""


@pytest.mark.parametrize("hem", [100, 600])
def test_a_hem_too_wide_answers_the_same_whatever_its_size(client, hem):
    """One limit (the engine's): the web had its own 500 mm cap, so 600 got 400 and 100 422."""
    banner_id = make_banner(client, size="a3")
    response = client.get(f"/banners/{banner_id}.pdf?hem={hem}")
    assert response.status_code == 422
    assert "hem must be between 0 and 74 mm" in response.get_data(as_text=True)


def test_the_png_honours_the_specs_dpi(client):
    """`dpi` is part of the spec (and of the JSON API): the banner's PNG is made at it."""
    made = client.post("/api/banners", json={"text": "At 100 DPI", "size": "a6", "dpi": 100})
    png = client.get(made.json["png_url"])
    assert png.status_code == 200
    assert png_size(png.data) == (round(105 / 25.4 * 100), round(148 / 25.4 * 100))
