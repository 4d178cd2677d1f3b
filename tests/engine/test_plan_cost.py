"""Planning cost is bounded: near-linear work in the length of the text, and a budget of work.

Counted, not timed (these machines are shared): the work of planning the costliest specs
found (bench/plan_cost.py: 500 characters of Chinese with two 500-character translations) is
counted in greedy fits, dynamic-programme cells and lines shaped, and must grow about linearly
with the text. The budget is work too, so a busy machine cannot change a layout. The one timed
check is generous (20 s) so it cannot flake. Figures are in bench/plan_cost.py and the README.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from poster_app.layout import Spec, partition, plan, typeset
from poster_app.layout.corpus import CORPUS
from poster_app.layout.fit import PLAN_BUDGET

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from plan_cost import spec_args  # noqa: E402


class Work:
    """Counts what planning does: unit pairs looked at by the line choosers (Lines.steps)
    and lines shaped."""

    def __init__(self, monkeypatch):
        self.lines: list[partition.Lines] = []
        self.budgets: list[partition.Budget] = []
        self.shaped = 0
        init, shape = partition.Lines.__init__, typeset.shape_line
        budget_init = partition.Budget.__init__

        def counted_init(lines, units):
            init(lines, units)
            self.lines.append(lines)

        def kept_budget(budget, limit=None):
            budget_init(budget, limit)
            self.budgets.append(budget)

        def counted_shape(*args, **kwargs):
            self.shaped += 1
            return shape(*args, **kwargs)

        monkeypatch.setattr(partition.Lines, "__init__", counted_init)
        monkeypatch.setattr(partition.Budget, "__init__", kept_budget)
        monkeypatch.setattr(typeset, "shape_line", counted_shape)
        monkeypatch.setattr("poster_app.layout.setting.shape_line", counted_shape)

    @property
    def steps(self) -> int:
        return sum(lines.steps for lines in self.lines)


STEPS_PER_CHARACTER = 2000  # measured: 6 to 960 for the specs of bench/plan_cost.py


@pytest.mark.parametrize("size", ["a4", "300x100cm"])
@pytest.mark.parametrize(("lang", "also"), [("zh-Hans", False), ("zh-Hans", True), ("th", True)])
def test_the_costliest_specs_do_near_linear_work(monkeypatch, lang, also, size):
    """The choosers' work per character stays bounded from 50 to 500 characters (a
    quadratic search would grow tenfold), and only lines that are placed are shaped."""
    for length in (50, 500):
        work = Work(monkeypatch)
        args = spec_args(lang, size, also)
        args["text"] = args["text"][:length]
        spec = Spec(**args)
        layout = plan(spec, budget=None)
        characters = len(spec.text) + sum(len(text) for _, text in spec.also)
        assert work.steps <= STEPS_PER_CHARACTER * characters, (length, work.steps)
        assert work.shaped <= 8 * len(layout.lines) + 40, (length, work.shaped)


def test_the_costliest_spec_plans_within_its_budget(monkeypatch):
    """The costliest spec found does all its work within the default budget (so the budget
    only bites on costlier ones), and in reasonable time even on a loaded machine."""
    spec = Spec(**spec_args("th", "a4", True))
    work = Work(monkeypatch)
    started = time.perf_counter()
    layout = plan(spec)
    elapsed = time.perf_counter() - started
    assert {line.block for line in layout.lines} == {0, 1, 2}
    (budget,) = work.budgets
    assert not budget.passed(), budget.spent
    assert budget.spent > PLAN_BUDGET / 2, budget.spent  # … and the budget is not far above it
    assert elapsed < 20, elapsed


def test_a_spent_budget_does_less_work(monkeypatch):
    spec = Spec(**spec_args("th", "a4", True))
    work = Work(monkeypatch)
    plan(spec, budget=None)
    plan(spec, budget=PLAN_BUDGET // 4)
    whole, cut = (budget.spent for budget in work.budgets)
    assert cut < 0.5 * whole, (cut, whole)


@pytest.mark.parametrize(
    "spec",
    [
        Spec(**spec_args("th", "a4", False)),
        Spec(**spec_args("th", "a4", True)),
        Spec(text=CORPUS["de"][1], lang="de", size="a4"),
        Spec(text=CORPUS["ru"][1], lang="ru", size="300x100cm", style="stack"),
    ],
    ids=["th-500", "th-500-also", "de", "ru-stack"],
)
def test_a_slow_machine_gets_the_same_layout(monkeypatch, spec):
    """The budget is work, not time: with every clock running 100 times faster than the
    work (a machine 100 times busier), the layout is the one an idle machine plans."""
    expected = plan(spec)
    for name in ("perf_counter", "monotonic", "time", "process_time"):
        clock = getattr(time, name)
        started = clock()
        monkeypatch.setattr(
            time, name, lambda clock=clock, started=started: started + 100 * (clock() - started)
        )
    assert plan(spec) == expected


def test_a_spent_budget_takes_the_cheaper_way_and_still_sets_the_text():
    spec = Spec(**spec_args("ja", "a4", True))
    layout = plan(spec, budget=0)
    text = "".join(line.text for line in layout.lines if line.block == 0)
    assert text.replace(" ", "") == spec.text.replace(" ", "")
    for line in layout.lines:
        assert layout.box.contains(line.ink, tolerance=0.5)
