"""Session files: a run saved and replayed gives the same weights bit for bit."""

import json

import numpy as np
import pytest

from engine import Penalty, Trainer, prepare, session_file, solve
from engine.csv import read_csv
from engine.datasets import load_dataset
from engine.session_file import (
    MAX_EVENTS,
    SessionError,
    SessionRecord,
    read,
    restore,
    write,
)
from engine.settings import RunSettings


def run_with_changes(data):
    tr = Trainer(data, penalty=Penalty.l1(0.5), seed=3, batch_size=32, lr=0.05)
    tr.step(40)
    tr.set_penalty(Penalty.elastic_net(0.3, 0.2))
    tr.set_rule("subgradient")
    tr.step(25)
    tr.set_batch_size(None)
    tr.set_lr("auto")
    tr.set_rule("proximal")
    tr.step(10)
    res = solve(data, "squared", tr.penalty)
    tr.set_state(res.w, res.b)
    tr.step(7)
    return tr


def test_round_trip_reproduces_the_weights_bit_for_bit(tmp_path):
    data = prepare(load_dataset("diabetes"), validation=0.2, seed=5)
    tr = run_with_changes(data)
    path = tmp_path / "run.json"
    write(path, SessionRecord.capture(RunSettings(), tr, data, view={"panes": [1, 2]}))
    rec = read(path)
    assert rec.view == {"panes": [1, 2]}
    run, exact = restore(rec)
    data2, tr2 = run.data, run.trainer
    assert exact
    assert tr2.step_count == tr.step_count == 82
    np.testing.assert_array_equal(tr2.w, tr.w)
    assert tr2.b == tr.b
    np.testing.assert_array_equal(data2.val_index, data.val_index)
    assert tr2.penalty == tr.penalty and tr2.rule == "proximal"


def test_csv_session_checks_the_file_is_unchanged(tmp_path):
    p = tmp_path / "d.csv"
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3))
    lines = ["a,b,c,y"] + [
        ",".join(f"{v:.4f}" for v in row) + f",{row[0] * 2:.4f}" for row in X
    ]
    p.write_text("\n".join(lines) + "\n")
    ds, _ = read_csv(p)
    data = prepare(ds)
    tr = Trainer(data, penalty=Penalty.l1(0.1))
    tr.step(30)
    s = tmp_path / "s.json"
    write(s, SessionRecord.capture(RunSettings(), tr, data))
    run, exact = restore(read(s))
    tr2 = run.trainer
    assert exact and np.array_equal(tr2.w, tr.w)
    p.write_text("\n".join(lines[:-1]) + "\n")  # the CSV changes
    with pytest.raises(SessionError, match="has changed since the session was saved"):
        restore(read(s))
    p.unlink()
    with pytest.raises(SessionError, match="CSV file is missing"):
        restore(read(s))


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("", "broken or truncated JSON"),
        ('{"format": "l1l2-explorer-session", "version": 1, "dataset": {', "truncated"),
        ("[1, 2, 3]", "not an L1/L2 Explorer session"),
        ('{"format": "something-else"}', "not an L1/L2 Explorer session"),
        ('{"format": "l1l2-explorer-session", "version": 7}', "newer version"),
        ('{"format": "l1l2-explorer-session", "version": "x"}', "no valid version"),
        (
            '{"format": "l1l2-explorer-session", "version": 1, "dataset": {"kind": '
            '"bundled", "name": "houses"}, "preparation": {}, "training": {}}',
            "damaged",
        ),
    ],
)
def test_broken_session_files_are_refused(tmp_path, content, fragment):
    p = tmp_path / "bad.json"
    p.write_text(content)
    with pytest.raises(SessionError, match=fragment):
        read(p)


def test_a_tampered_event_is_refused(tmp_path):
    data = prepare(load_dataset("two-features"))
    tr = Trainer(data, penalty=Penalty.l1(0.1))
    tr.step(3)
    tr.set_rule("subgradient")
    p = tmp_path / "s.json"
    write(p, SessionRecord.capture(RunSettings(), tr, data))
    doc = json.loads(p.read_text())
    doc["training"]["events"][0][1] = "teleport"
    p.write_text(json.dumps(doc))
    with pytest.raises(SessionError, match="damaged"):
        read(p)


def test_the_file_holds_the_run_settings_and_opens_through_start_run(tmp_path):
    from engine.run import start_run
    from engine.settings import DataSource

    settings = RunSettings(
        source=DataSource.bundled("correlated", seed=4),
        validation=0.3,
        split_seed=2,
        penalty="elasticnet",
        lam1=0.02,
        lam2=0.3,
        batch=16,
        seed=9,
        path=RunSettings().path.replace(folds=7, n_alphas=20),
    )
    run = start_run(settings)
    run.trainer.step(12)
    p = tmp_path / "s.json"
    write(p, SessionRecord.capture(run.settings, run.trainer, run.data))
    doc = json.loads(p.read_text())
    assert doc["version"] == 2
    assert doc["settings"]["source"] == {
        "kind": "bundled",
        "name": "correlated",
        "seed": 4,
        "path": None,
        "target": None,
        "one_hot": [],
        "positive_class": None,
        "target_as_number": False,
        "spec": None,
        "degree": None,
    }
    assert doc["settings"]["path"]["folds"] == 7
    rec = read(p)
    assert rec.settings == run.settings  # resolved, at step 0
    run2, exact = restore(rec)
    assert exact and run2.settings == run.settings
    np.testing.assert_array_equal(run2.trainer.w, run.trainer.w)


def test_a_version_1_file_still_opens(tmp_path):
    data = prepare(load_dataset("diabetes"), validation=0.2, seed=1)
    tr = Trainer(data, penalty=Penalty.l2(0.4), seed=2, batch_size=32)
    tr.step(20)
    tr.set_rule("subgradient")
    tr.step(5)
    from engine.session_file import weights_fingerprint

    v1 = {
        "format": "l1l2-explorer-session",
        "version": 1,
        "dataset": {"kind": "bundled", "name": "diabetes", "seed": 0},
        "preparation": {"standardize": True, "validation": 0.2, "split_seed": 1},
        "training": {
            "loss": "squared",
            "seed": 2,
            "init": "random",
            "init_scale": 1.0,
            "start": {
                "penalty": {"kind": "l2", "lam1": 0.0, "lam2": 0.4},
                "lr": "auto",
                "rule": "proximal",
                "batch": 32,
            },
            "events": [list(e) for e in tr.events],  # one rule change
            "steps": 25,
            "weights_sha256": weights_fingerprint(tr.w, tr.b),
        },
        "view": {},
    }
    p = tmp_path / "old.json"
    p.write_text(json.dumps(v1))
    run, exact = restore(read(p))
    assert exact and run.trainer.step_count == 25
    assert run.settings.rule == "subgradient" and run.settings.batch == 32


def _saved(tmp_path):
    data = prepare(load_dataset("two-features"))
    tr = Trainer(data, penalty=Penalty.l1(0.1))
    tr.step(3)
    tr.set_rule("subgradient")
    tr.step(2)
    p = tmp_path / "s.json"
    write(p, SessionRecord.capture(RunSettings(), tr, data))
    return p, json.loads(p.read_text())


@pytest.mark.parametrize(
    "edit, fragment",
    [
        (lambda d: d["settings"].update(seed=1e100), "seed must be a whole number"),
        (lambda d: d["settings"].update(seed=2**70), "seed must be a whole number"),
        (lambda d: d["settings"].update(batch=None, lr=None), "step size"),
        (lambda d: d["settings"].update(penalty="l3"), "unknown penalty"),
        (lambda d: d["settings"].update(colour="red"), "unknown settings entr"),
        (lambda d: d["settings"].pop("source"), "source must be a table"),
        (lambda d: d["settings"]["source"].update(seed="x"), "seed must be a whole"),
        (lambda d: d["settings"]["path"].update(folds=1), "at least 2 folds"),
        (lambda d: d["training"].update(steps=10**12), "steps must be a whole number"),
        (lambda d: d["training"]["events"][0].__setitem__(0, 10**12), "step"),
        (lambda d: d["training"]["events"][0].__setitem__(0, 99), "out of order"),
        (lambda d: d["training"]["events"][0].__setitem__(2, "diagonal"), "rule"),
        (lambda d: d["training"]["events"].append([5, "lr", -1]), "step size"),
        (lambda d: d["training"]["events"].append([5, "batch", None]), "batch size"),
        (lambda d: d["training"]["events"].append(7), "not \\[step, kind, value\\]"),
        (lambda d: d.update(view=[1]), "view"),
    ],
)
def test_damaged_entries_are_named(tmp_path, edit, fragment):
    p, doc = _saved(tmp_path)
    edit(doc)
    p.write_text(json.dumps(doc))
    with pytest.raises(SessionError, match=f"damaged.*{fragment}"):
        read(p)


@pytest.mark.parametrize(
    "edit, fragment",
    [
        (lambda f, c: f.update(skip=10**12), "skip must be a whole number"),
        (lambda f, c: f.update(skip=-1), "skip must be a whole number"),
        (lambda f, c: f.update(encoding="nope-enc"), "unknown CSV encoding"),
        (lambda f, c: f.update(encoding=7), "encoding 7 is not a name"),
        (lambda f, c: f.update(encoding="\x00"), "is not a name"),
        (lambda f, c: f.update(delimiter="ab"), "delimiter"),
        (lambda f, c: f.update(decimal=";"), "decimal mark"),
        (lambda f, c: f.update(header="yes"), "header must be true or false"),
        (lambda f, c: f.update(colour=1), "unknown CSV format entries"),
        (lambda f, c: c.update(target=None), "no target column"),
        (lambda f, c: c.update(features=[1, 2]), "features are not a list"),
        (lambda f, c: c.update(missing="guess"), "missing values"),
        (lambda f, c: c.update(loss="hinge"), "unknown loss"),
        (lambda f, c: c.update(positive_class=3), "positive class"),
    ],
)
def test_a_damaged_csv_import_record_is_refused_before_reading(
    tmp_path, edit, fragment
):
    _, s, _ = _csv_session(tmp_path / "a")
    doc = json.loads(s.read_text())
    spec = doc["settings"]["source"]["spec"]
    edit(spec["format"], spec["choices"])
    s.write_text(json.dumps(doc))
    with pytest.raises(SessionError, match=f"damaged.*{fragment}"):
        read(s)


def test_a_csv_format_that_is_not_a_table_is_named(tmp_path):
    _, s, _ = _csv_session(tmp_path / "a")
    doc = json.loads(s.read_text())
    doc["settings"]["source"]["spec"]["format"] = None
    s.write_text(json.dumps(doc))
    with pytest.raises(SessionError, match="CSV file's format is not a table"):
        read(s)


@pytest.mark.parametrize("version", [0, -1, True, 1.5, "2"])
def test_versions_that_do_not_exist_are_refused(tmp_path, version):
    p, doc = _saved(tmp_path)
    doc["version"] = version
    p.write_text(json.dumps(doc))
    with pytest.raises(SessionError, match="no valid version number"):
        read(p)


def test_too_many_changes_are_refused_on_load(tmp_path):
    p, doc = _saved(tmp_path)
    doc["training"]["steps"] = MAX_EVENTS + 2
    doc["training"]["events"] = [[1, "rule", "proximal"]] * (MAX_EVENTS + 1)
    p.write_text(json.dumps(doc))
    with pytest.raises(SessionError, match="damaged.*at most 100,000"):
        read(p)


def test_a_file_too_large_for_a_session_is_refused_unread(tmp_path, monkeypatch):
    p, _ = _saved(tmp_path)
    monkeypatch.setattr(session_file, "MAX_FILE_BYTES", p.stat().st_size - 1)
    monkeypatch.setattr(
        type(p), "read_text", lambda *a, **k: pytest.fail("the file was read")
    )
    with pytest.raises(SessionError, match="too large for a session file"):
        read(p)


def test_deeply_nested_json_is_refused(tmp_path):
    p = tmp_path / "deep.json"
    p.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(SessionError, match="nested too deeply|not an L1/L2"):
        read(p)


def _csv_session(folder, name="d.csv"):
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    rows = [f"{i},{(i * 7) % 5},{i * 0.5 + (i % 3)}" for i in range(30)]
    p.write_text("a,b,y\n" + "\n".join(rows) + "\n")
    ds, _ = read_csv(p)
    data = prepare(ds)
    tr = Trainer(data, penalty=Penalty.l1(0.05))
    tr.step(12)
    s = folder / "s.json"
    write(s, SessionRecord.capture(RunSettings(), tr, data))
    return p, s, tr


def test_a_session_moved_together_with_its_csv_opens(tmp_path):
    csv_path, session, tr = _csv_session(tmp_path / "before")
    doc = json.loads(session.read_text())
    assert doc["settings"]["source"]["spec"]["relative_path"] == "d.csv"
    (tmp_path / "before").rename(tmp_path / "after")
    run, exact = restore(read(tmp_path / "after" / "s.json"))
    assert exact and np.array_equal(run.trainer.w, tr.w)
    assert run.settings.source.path == str((tmp_path / "after" / "d.csv").resolve())


def test_a_missing_csv_can_be_located_and_is_checked_by_its_sha256(tmp_path):
    from engine.session_file import MissingCSV

    csv_path, session, tr = _csv_session(tmp_path / "here")
    elsewhere = tmp_path / "elsewhere" / "renamed.csv"
    elsewhere.parent.mkdir()
    csv_path.rename(elsewhere)
    rec = read(session)
    with pytest.raises(MissingCSV) as e:
        restore(rec)
    assert e.value.path == csv_path.resolve()
    run, exact = restore(rec.with_csv(elsewhere))
    assert exact and np.array_equal(run.trainer.w, tr.w)
    other = tmp_path / "other.csv"
    other.write_text("a,b,y\n1,2,3\n2,2,5\n3,1,4\n")
    with pytest.raises(SessionError, match="has changed since the session was saved"):
        restore(rec.with_csv(other))


def test_a_csv_run_with_import_choices_is_saved_and_replayed(tmp_path):
    """The positive class and the one-hot columns of the command line are part of
    the import record a session keeps."""
    from engine.run import start_run
    from engine.settings import DataSource

    csv = tmp_path / "pets.csv"
    rows = "".join(
        f"{('cat', 'dog', 'eel')[i % 3]},{('red', 'tan')[i % 2]},{i % 7},{i % 5}\n"
        for i in range(30)
    )
    csv.write_text("kind,colour,a,b\n" + rows)
    src = DataSource.csv(str(csv), "kind", one_hot=("colour",), positive_class="dog")
    run = start_run(RunSettings(source=src, validation=0.0))
    assert run.dataset.feature_names == ("a", "b", "colour=red", "colour=tan")
    assert run.settings.loss == "logistic"
    run.trainer.step(15)
    p = tmp_path / "s.json"
    write(p, SessionRecord.capture(run.settings, run.trainer, run.data))
    spec = json.loads(p.read_text())["settings"]["source"]["spec"]
    assert spec["choices"]["positive_class"] == "dog"
    assert spec["choices"]["onehot"] == ["colour"]
    run2, exact = restore(read(p))
    assert exact
    np.testing.assert_array_equal(run2.dataset.y, run.dataset.y)


def test_a_csv_pandas_read_in_parallel_is_hashed_when_the_session_is_saved(
    tmp_path, monkeypatch
):
    """A big file is not hashed while pandas reads it on every core: the session
    takes the SHA-256 when it is saved, and refuses a file changed since the read."""
    import hashlib
    import os

    from engine.csv import parallel

    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)
    p = tmp_path / "big.csv"
    rows = [f"{i},{(i * 7) % 5},{i * 0.5 + (i % 3)}" for i in range(300)]
    p.write_text("a,b,y\n" + "\n".join(rows) + "\n")
    ds, _ = read_csv(p)
    assert not ds.source["sha256"].known  # not hashed while read
    data = prepare(ds)
    tr = Trainer(data, penalty=Penalty.l1(0.05))
    tr.step(5)
    s = tmp_path / "s.json"
    write(s, SessionRecord.capture(RunSettings(), tr, data))
    saved = json.loads(s.read_text())["settings"]["source"]["spec"]["sha256"]
    assert saved == hashlib.sha256(p.read_bytes()).hexdigest()
    run, exact = restore(read(s))
    assert exact and np.array_equal(run.trainer.w, tr.w)
    # read again, then changed before the session is saved: nothing is written
    ds2, _ = read_csv(p)
    data2 = prepare(ds2)
    p.write_text("a,b,y\n" + "\n".join(rows[:-1]) + "\n")
    os.utime(p, ns=(1, 1))
    with pytest.raises(SessionError, match="cannot record its CSV file.*changed"):
        SessionRecord.capture(RunSettings(), Trainer(data2), data2)
