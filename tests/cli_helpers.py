"""`poster render` in the tests: as a real process, or through cli.main in the test process.

main() is what `python -m poster_app.cli` runs (`sys.exit(main())`); run in-process, with its
output captured and argparse's exit caught, it answers as the process does without starting
a new Python and importing the engine again (0.1-0.5 s of CPU each). test_cli checks the real
process's exit status and output once per kind of refusal.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys

from poster_app.cli import main


def run(*args, cwd=None) -> subprocess.CompletedProcess:
    """`poster render ARGS` as a new process."""
    return subprocess.run(
        [sys.executable, "-m", "poster_app.cli", "render", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def render(*args, cwd=None) -> subprocess.CompletedProcess:
    """`poster render ARGS` through main() in this process, in `cwd`: its exit status (an
    argparse refusal exits with SystemExit) and what it wrote."""
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.chdir(cwd or os.getcwd()),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            status = main(["render", *args])
        except SystemExit as e:
            status = e.code
    return subprocess.CompletedProcess(
        ["poster", "render", *args], status, out.getvalue(), err.getvalue()
    )
