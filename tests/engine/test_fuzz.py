"""Random inputs, as an outside check tried by hand: malformed CSV files, random
problems through the command line, damaged session files. Whatever the input, the
result is a clear refusal (DataError; exit status 2 with one line) or an output
without NaN; never a traceback, a RuntimeWarning or another exception.

Bounded: a few dozen examples each, so the suites run in ``make test``.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import re
import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cli
from engine import DataError
from engine.csv import read_csv
from engine.penalties import Penalty
from engine.run import start_run
from engine.session_file import SessionError, SessionRecord, read, restore, write
from engine.settings import DataSource, RunSettings

#: The same examples on every run of the suite (CI must not fail at random);
#: L1L2_FUZZ_RANDOM=1 draws new ones, and L1L2_FUZZ_EXAMPLES sets how many.
FUZZ = settings(
    max_examples=int(os.environ.get("L1L2_FUZZ_EXAMPLES", "40")),
    derandomize=os.environ.get("L1L2_FUZZ_RANDOM") != "1",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NAN = re.compile(r"\b(nan|inf)\b", re.IGNORECASE)


def run_cli(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a RuntimeWarning fails the example
            code = cli.main(["--headless", *argv])
    return code, out.getvalue(), err.getvalue()


def assert_clean(code: int, out: str, err: str) -> None:
    assert "Traceback" not in err and "Warning" not in err, err
    if code == 0:
        assert not NAN.search(out), out
    else:  # 1: training diverged (said so), 2: the input was refused
        assert code == 2 or (code == 1 and "diverged" in err), (code, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0], err


# -- malformed CSV files --------------------------------------------------------------
cells = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["", "NA", "nan", "?", "-", "1e999", "1,5", '"a, b"', "x", "é"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6),
)


@st.composite
def csv_bytes(draw) -> bytes:
    n_cols = draw(st.integers(1, 6))
    n_rows = draw(st.integers(0, 25))
    sep = draw(st.sampled_from([",", ";", "\t", "|", " ", "  "]))
    header = draw(st.booleans())
    lines = []
    if header:
        lines.append(sep.join(draw(st.lists(cells, min_size=n_cols, max_size=n_cols))))
    for _ in range(n_rows):
        width = draw(st.sampled_from([n_cols, n_cols, n_cols, n_cols - 1, n_cols + 1]))
        lines.append(
            sep.join(draw(st.lists(cells, min_size=0, max_size=max(width, 0))))
        )
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


@FUZZ
@given(raw=csv_bytes())
def test_a_random_csv_is_read_or_refused_with_a_reason(raw):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "random.csv"
        path.write_bytes(raw)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                ds, notes = read_csv(path)
            except DataError as e:
                assert str(e).strip() and "\n" not in str(e).strip()
                return
    assert np.isfinite(ds.X).all() and np.isfinite(ds.y).all()
    assert ds.X.shape[0] == ds.y.shape[0] >= 1
    assert all(isinstance(n, str) for n in notes)


# -- random problems through the command line ----------------------------------------
@st.composite
def problems(draw):
    n = draw(st.integers(2, 30))
    d = draw(st.integers(1, 8))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    scales = 10.0 ** np.array(
        draw(st.lists(st.integers(-6, 6), min_size=d, max_size=d))
    )
    X = rng.standard_normal((n, d)) * scales
    if draw(st.booleans()):
        X[:, 0] = draw(st.sampled_from([0.0, 1.0, 3e5]))  # a constant column
    if d > 1 and draw(st.booleans()):
        X[:, -1] = X[:, 0]  # a duplicate
    classes = draw(st.booleans())
    if classes:
        y = np.where(X @ rng.standard_normal(d) + rng.standard_normal(n) > 0, 1, 0)
    else:
        y = X @ rng.standard_normal(d) * 10.0 ** draw(st.integers(-4, 8))
    args = [
        "--penalty",
        draw(st.sampled_from(["none", "l1", "l2", "elasticnet"])),
        "--seed",
        str(seed),
    ]
    if draw(st.booleans()):
        lam = 10.0 ** draw(st.integers(-6, 6))
        args += (
            ["--lam1", f"{lam:g}", "--lam2", f"{lam:g}"]
            if args[1] == "elasticnet"
            else []
        )
        args += ["--lam", f"{lam:g}"] if args[1] in ("l1", "l2") else []
    if draw(st.booleans()):
        args += ["--lr", f"{10.0 ** draw(st.integers(-4, 2)):g}"]
    if draw(st.booleans()):
        args += ["--no-standardize"]
    args += ["--solve"] if draw(st.booleans()) else ["--steps", "40"]
    return X, y, args


@FUZZ
@given(problem=problems())
def test_a_random_problem_ends_in_numbers_or_a_reason(problem):
    X, y, args = problem
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "problem.csv"
        names = ",".join(f"x{j}" for j in range(X.shape[1]))
        body = "\n".join(
            ",".join(repr(float(v)) for v in row) + f",{t!r}"
            for row, t in zip(X, y, strict=True)
        )
        path.write_text(f"{names},target\n{body}\n")
        weights = Path(tmp) / "weights.csv"
        code, out, err = run_cli(
            "--csv",
            str(path),
            "--target",
            "target",
            *args,
            "--export-weights",
            str(weights),
        )
        assert_clean(code, out, err)
        if code == 0:
            assert not NAN.search(weights.read_text())


# -- damaged session files -----------------------------------------------------------
def _saved_session(folder: Path, csv: bool) -> dict:
    """A session of 30 steps with a change of penalty: on bundled data, or on a CSV
    file in ``folder`` (its import record is damaged too, then)."""
    source, ds = DataSource.bundled("correlated"), None
    if csv:
        rows = "".join(
            f"{i % 7},{(i * 3) % 5},{i % 11 * 0.5 + i % 3}\n" for i in range(60)
        )
        (folder / "data.csv").write_text("a,b,y\n" + rows)
        ds, _ = read_csv(folder / "data.csv")
        source = DataSource.of_dataset(ds.source)
    settings = RunSettings(source=source, penalty="l1")
    run = start_run(settings, ds)
    run.trainer.step(20)
    run.trainer.set_penalty(Penalty.l2(0.1))
    run.trainer.step(10)
    path = folder / "base.json"
    write(
        path, SessionRecord.capture(run.settings, run.trainer, run.data, view={"a": 1})
    )
    return json.loads(path.read_text())


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e308, -1e308, 1e100, 0.0, -1]),
    st.text(max_size=5),
    st.lists(st.integers(-3, 3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def _paths(doc, prefix=()):
    """Every key path into the JSON document."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield (*prefix, i)
            yield from _paths(v, (*prefix, i))


def _damage(doc, path, value, delete):
    node = doc
    for key in path[:-1]:
        node = node[key]
    if delete and isinstance(node, dict):
        del node[path[-1]]
    else:
        node[path[-1]] = value


_BASES: dict[bool, dict] = {}
#: Where the CSV session's data lives while the suite runs.
_FOLDER = Path(tempfile.mkdtemp(prefix="l1l2-fuzz-"))
atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)


def base_session(csv: bool) -> dict:
    if csv not in _BASES:
        folder = _FOLDER / ("csv" if csv else "bundled")
        folder.mkdir(exist_ok=True)
        _BASES[csv] = _saved_session(folder, csv)
    return json.loads(json.dumps(_BASES[csv]))


@FUZZ
@given(data=st.data())
def test_a_damaged_session_is_refused_with_a_reason_or_replayed(data):
    doc = base_session(csv=data.draw(st.booleans()))
    paths = list(_paths(doc))
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(paths))
        try:
            _damage(doc, where, data.draw(JUNK), data.draw(st.booleans()))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier damage removed the way there
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "damaged.json"
        path.write_text(json.dumps(doc))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                rec = read(path)
            except SessionError as e:
                assert str(e).strip() and "\n" not in str(e).strip()
                return
            if rec.steps > 20_000:
                return  # valid but long: replaying it is not this test's business
            try:
                run, _ = restore(rec)
            except DataError as e:
                assert str(e).strip()
                return
    assert np.isfinite(run.trainer.w).all()


def test_a_slowly_converging_raw_solve_warns_nothing():
    """Found by the suite above: the stall check's power overflowed."""
    X = np.array(
        [
            [1.25730221e-01, -1.32104863e-01, 6.40422650e04],
            [1.04900117e-01, -5.35669373e-01, 3.61595055e04],
        ]
    )
    y = np.array([-45068.75965437, -25447.08865585])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "raw.csv"
        rows = "\n".join(
            ",".join(repr(float(v)) for v in row) + f",{t!r}"
            for row, t in zip(X, y, strict=True)
        )
        path.write_text(f"a,b,c,target\n{rows}\n")
        code, out, err = run_cli(
            "--csv",
            str(path),
            "--target",
            "target",
            "--penalty",
            "l1",
            "--seed",
            "0",
            "--no-standardize",
            "--solve",
        )
    assert_clean(code, out, err)
