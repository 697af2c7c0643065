"""Session files: a run saved and replayed gives the same weights bit for bit."""

import json

import numpy as np
import pytest

from engine import Penalty, Trainer, prepare, solve
from engine.csv import read_csv
from engine.datasets import load_dataset
from engine.session_file import SessionError, SessionRecord, read, restore, write


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
    write(path, SessionRecord.capture(tr, data, view={"panes": [1, 2]}))
    rec = read(path)
    assert rec.view == {"panes": [1, 2]}
    ds, data2, tr2, exact = restore(rec)
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
    write(s, SessionRecord.capture(tr, data))
    _, _, tr2, exact = restore(read(s))
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
    write(p, SessionRecord.capture(tr, data))
    doc = json.loads(p.read_text())
    doc["training"]["events"][0][1] = "teleport"
    p.write_text(json.dumps(doc))
    with pytest.raises(SessionError, match="damaged"):
        read(p)
