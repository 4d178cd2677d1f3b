"""ENGINE_VERSION changes whenever a layout does (see tests/golden.py for the why and how)."""

from __future__ import annotations

import json
from dataclasses import replace

import golden
import pytest
from golden import Golden, fingerprint, mismatch, record

from poster_app.layout import ENGINE_VERSION
from poster_app.layout.fit import plan
from poster_app.layout.pdf import render_pdf
from poster_app.layout.png import render_png
from poster_app.layout.spec import Spec


def test_the_layouts_are_those_recorded_for_this_engine_version():
    message = mismatch(golden.current(), golden.recorded())
    if message:
        pytest.fail(message, pytrace=False)


def test_the_golden_cases_cover_the_corpus_and_other_page_shapes():
    specs = golden.golden_specs()
    assert {"en/fill", "en/stack", "zh-Hans/stack", "ar-vocalised/fill"} <= set(specs)
    sizes = {spec.size for spec in specs.values()}
    assert {"a4", "300x100cm", "1080x1080px"} <= sizes
    assert any(len(spec.also) == 2 for spec in specs.values())


@pytest.fixture(scope="module")
def layout():
    return plan(Spec(text="Freedom for all political prisoners!", style="stack"))


def test_float_noise_does_not_change_the_fingerprint(layout):
    nudged = replace(
        layout,
        lines=tuple(line.transformed(1 + 1e-12, 0.0, 0.0, dy=1e-9) for line in layout.lines),
    )
    assert fingerprint(nudged) == fingerprint(layout)


@pytest.mark.parametrize(
    "change",
    [
        lambda line: replace(line, text=line.text + "!"),
        lambda line: line.transformed(1.01, 0.0, 0.0),  # 1 % larger
        lambda line: line.transformed(1.0, 0.0, 0.0, dy=1.0),  # one point lower
    ],
    ids=["text", "size", "position"],
)
def test_a_visible_change_changes_the_fingerprint(layout, change):
    changed = replace(layout, lines=(change(layout.lines[0]), *layout.lines[1:]))
    assert fingerprint(changed) != fingerprint(layout)


def test_an_unrecorded_version_is_told_to_run_make_golden():
    message = mismatch(Golden({"a": "1"}), {"versions": {}, "latest": {}}, version="8")
    assert "ENGINE_VERSION '8' has no golden layout hash" in message
    assert "make golden" in message


def test_a_changed_layout_is_told_to_bump_the_version_and_names_the_cases():
    old = Golden({"en/fill": "aaa", "ru/fill": "bbb", "gone/fill": "ccc"})
    new = Golden({"en/fill": "aaa", "ru/fill": "BBB", "ka/fill": "ddd"})
    data = {
        "versions": {"7": old.hash},
        "latest": {"version": "7", "toolchain": "Pillow 1", "cases": old.cases},
    }
    message = mismatch(new, data, version="7")
    assert f"({old.hash}; now {new.hash})" in message
    assert "bump ENGINE_VERSION in poster_app/layout/__init__.py to '8'" in message
    assert "run `make golden`" in message
    assert "changed (1): ru/fill" in message
    assert "new (1): ka/fill" in message
    assert "gone (1): gone/fill" in message
    assert "was recorded with Pillow 1" in message
    assert mismatch(old, data, version="7") is None


def test_make_golden_records_a_new_version_and_never_overwrites_one(tmp_path):
    path = tmp_path / "golden.json"
    first, second = Golden({"a": "1"}), Golden({"a": "2"})
    assert "recorded" in record(first, version="1", path=path)
    assert "nothing to do" in record(first, version="1", path=path)
    with pytest.raises(SystemExit, match="bump ENGINE_VERSION .* to '2'"):
        record(second, version="1", path=path)
    assert json.loads(path.read_text())["versions"] == {"1": first.hash}
    record(second, version="2", path=path)
    data = json.loads(path.read_text())
    assert data["versions"] == {"1": first.hash, "2": second.hash}
    assert data["latest"]["version"] == "2"
    assert data["latest"]["cases"] == {"a": "2"}


def _png_text_chunks(png: bytes) -> dict[str, str]:
    """The tEXt chunks of a PNG, read from the bytes (not through Pillow)."""
    out, pos = {}, 8
    while pos < len(png):
        length = int.from_bytes(png[pos : pos + 4], "big")
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            out[key.decode("latin-1")] = value.decode("latin-1")
        pos += 12 + length
    return out


def test_the_png_names_the_engine_version(layout):
    chunks = _png_text_chunks(render_png(layout, dpi=20))
    assert chunks["Software"] == f"poster_app engine {ENGINE_VERSION}"


def test_the_pdf_names_the_engine_version(layout):
    pdf = render_pdf(layout)
    assert f"/Producer (poster_app engine {ENGINE_VERSION})".encode() in pdf
