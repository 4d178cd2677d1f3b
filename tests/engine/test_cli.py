"""`poster render`: files, --json, and exit status 2 with one line for bad input."""

import json
import subprocess

import pytest
from cli_helpers import render, run
from PIL import Image

from poster_app.cli import main


def test_png_at_the_page_size_and_dpi(tmp_path):
    out = tmp_path / "banner.png"
    assert main(["render", "Stop torture", "--size", "a6", "--dpi", "100", "--out", str(out)]) == 0
    with Image.open(out) as im:
        assert im.size == (413, 583)  # 105 × 148 mm at 100 DPI
        assert im.convert("RGB").getpixel((0, 0)) == (255, 255, 255)


def test_json_describes_lines_and_runs(capsys):
    assert main(["render", r"СВОБОДУ\nАНАРХИСТАМ", "--lang", "ru", "--size", "a5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["page"]["mm"] == [148.0, 210.0]
    assert data["page"]["px"] == [1748, 2480]
    assert [line["text"] for line in data["lines"]] == ["СВОБОДУ", "АНАРХИСТАМ"]
    run0 = data["lines"][0]["runs"][0]
    assert run0["font"].endswith(".ttf") and run0["direction"] == "ltr" and run0["size"] > 100
    assert data["missing"] == []


def assert_refused(result, message: str, folder) -> None:
    """Exit status 2, one line saying `message`, no traceback, nothing written."""
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["", "--out", "x.png"], "the slogan is empty"),
        (["hi", "--size", "a11", "--out", "x.png"], "unknown page size 'a11'"),
        (["hi", "--lang", "qq-ZZ", "--out", "x.png"], "unknown language 'qq-ZZ'"),
        (["hi", "--fg", "#12345", "--out", "x.png"], "fg must be a colour"),
        (["hi \U00012000", "--out", "x.png"], "no bundled font has U+12000 CUNEIFORM SIGN A"),
        (["hi", "--out", "x.gif"], "--out must end in .png or .pdf"),
        (["hi", "--size", "300x100cm", "--dpi", "1200", "--out", "x.png"], "download the PDF"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, args, message):
    assert_refused(render(*args, cwd=tmp_path), message, tmp_path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["hi", "--size", "a11", "--out", "x.png"], "unknown page size 'a11'"),  # main() says 2
        (["hi", "--out", "x.gif"], "--out must end in .png or .pdf"),  # argparse exits
    ],
)
def test_the_process_exits_2_with_one_line_and_writes_nothing(tmp_path, args, message):
    """The real `python -m poster_app.cli` (the tests above run its main() in-process)."""
    assert_refused(run(*args, cwd=tmp_path), message, tmp_path)


def test_missing_characters_are_listed_in_json(tmp_path):
    result = render("Free \U00012000", "--json", "--out", "x.png", cwd=tmp_path)
    assert result.returncode == 2
    assert json.loads(result.stdout)["missing"] == ["U+12000"]
    assert list(tmp_path.iterdir()) == []


def test_pdf_out(tmp_path):
    out = tmp_path / "b.pdf"
    result = render("Free them all", "--size", "a5", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert text.split() == ["Free", "them", "all"]


def test_also_adds_translations_below_the_slogan(capsys):
    assert (
        main(
            [
                "render",
                "Free them",
                "--also",
                "ar:حرية للجميع",
                "--also",
                "ru:Свободу",
                "--size",
                "a5",
                "--json",
            ]
        )
        == 0
    )
    lines = json.loads(capsys.readouterr().out)["lines"]
    assert [line["block"] for line in lines] == sorted(line["block"] for line in lines)
    assert {line["block"] for line in lines} == {0, 1, 2}
    arabic = [run for line in lines if line["block"] == 1 for run in line["runs"]]
    assert {run["direction"] for run in arabic} == {"rtl"}


def test_the_pixel_cap_is_a_setting(tmp_path, monkeypatch, capsys):
    """POSTER_MAX_PIXELS (read by config.py) caps the command's PNGs as it caps the app's."""
    monkeypatch.setenv("POSTER_MAX_PIXELS", "500000")
    out = tmp_path / "big.png"
    assert main(["render", "Stop torture", "--size", "a4", "--out", str(out)]) == 2
    assert "over the 0.5 megapixel limit" in capsys.readouterr().err and not out.exists()
