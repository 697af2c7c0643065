"""Importing a CSV through the window: the dialog, errors, recent files, drag and drop."""

import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from tests.gui.helpers import import_now

MESSY = """# exported from the listings database
id;listed;city;sqft;bedrooms;has_pool;price
1;2024-01-05;Oslo;1 850;3;yes;412 000
2;2024-01-09;Bergen;2100,5;4;no;389000
3;2024-02-01;Oslo;;2;no;301000
4;2024-02-11;Trondheim;1400;2;yes;
5;2024-03-03;Bergen;3000;5;yes;612000
6;2024-03-15;Oslo;1725;3;no;398000
7;2024-03-18;Bergen;1990;3;no;405000
"""


@pytest.fixture
def window(make_window, capture_errors):
    return capture_errors(make_window("--dataset", "diabetes"))


def random_csv(path, rows, header, seed):
    """A numeric CSV of ``rows`` random rows under ``header`` ('a,b,y')."""
    cols = header.count(",") + 1
    A = np.random.default_rng(seed).standard_normal((rows, cols)).round(3)
    np.savetxt(path, A, delimiter=",", header=header, comments="", fmt="%.3f")


def loaded(qtbot, dlg):
    qtbot.waitUntil(lambda: dlg.worker is None, timeout=30000)
    return dlg


def test_messy_csv_through_the_dialog(qtbot, window, tmp_path):
    p = tmp_path / "listings.csv"
    p.write_text(MESSY, encoding="utf-8")
    dlg = loaded(qtbot, window.open_csv(p))
    fmt = dlg.current_format()
    assert (fmt.delimiter, fmt.decimal, fmt.skip, fmt.header) == (";", ",", 1, True)
    pm = dlg.preview_model
    assert pm.rowCount() == 7
    # the cells as written in the file, split into their columns
    sqft = pm.frame.columns.get_loc("sqft")
    assert pm.data(pm.index(0, sqft)) == "1 850" and pm.data(pm.index(2, sqft)) == ""
    m = dlg.model
    kinds = {c.name: c.kind for c in dlg.table.columns}
    assert kinds == {
        "id": "id",
        "listed": "date",
        "city": "categorical",
        "sqft": "numeric",
        "bedrooms": "numeric",
        "has_pool": "categorical",
        "price": "numeric",
    }
    assert m.target == "price"
    # one-hot the city: tick "use" in its row
    row = dlg.table.names.index("city")
    m.setData(
        m.index(row, 0),
        QtCore.Qt.CheckState.Checked.value,
        QtCore.Qt.ItemDataRole.CheckStateRole,
    )
    assert "one-hot: 3 new columns" in m.meaning(row)
    assert "5 feature columns" in dlg.summary.text()
    dlg.fill_mean.setChecked(True)
    assert (
        "2 row(s) have a missing value (1 feature cell(s))" in dlg.missing_label.text()
    )
    dlg.validation.setValue(0.0)
    import_now(qtbot, window, dlg)
    s = window.session
    assert s.dataset.name == "listings.csv"
    # Trondheim's only row has no price: once dropped, its column is constant
    assert s.dataset.feature_names == ("sqft", "bedrooms", "city=Bergen", "city=Oslo")
    assert s.data.n_samples == 6  # the row without a price is dropped
    np.testing.assert_allclose(s.dataset.X[0, 0], 1850)
    report = window.data_panel.text.toPlainText()
    assert "column 'sqft': thousands separators removed" in report
    assert "target 'price': thousands separators removed" in report
    assert "one-hot encoded into 3 columns" in report
    assert "filled 1 missing value" in report
    assert "constant column(s): city=Trondheim" in report
    assert "semicolon-separated" in report
    assert window.files.recent.paths()[0] == str(p.resolve())


def test_a_refused_file_leaves_the_current_data_untouched(qtbot, window, tmp_path):
    s = window.session
    before = (s.dataset, s.trainer)
    bad = tmp_path / "photo.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    assert window.open_csv(bad) is None
    assert "binary" in window.errors[-1] and "photo.csv" in window.errors[-1]
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("a,b,y\n1,2,3\n4,5,6\n7,8,9,10\n")
    dlg = loaded(qtbot, window.open_csv(ragged))
    assert "line 4 has 4 fields" in dlg.message.text()
    assert not dlg.import_button.isEnabled()
    dlg.skip_bad.setChecked(True)  # the user chooses to skip it
    loaded(qtbot, dlg)
    assert "skipped 1 malformed row" in dlg.message.text()
    dlg.reject()
    assert (s.dataset, s.trainer) == before


def test_changing_the_format_rereads_the_file(qtbot, window, tmp_path):
    p = tmp_path / "prices.csv"
    p.write_text("a;b;y\n1,5;2;3\n2,5;1;4\n3,5;7;1\n")
    dlg = loaded(qtbot, window.open_csv(p))
    assert dlg.table.column("a").kind == "numeric"
    dlg.decimal.setCurrentIndex(0)  # claim the decimal mark is a point
    dlg.decimal.activated.emit(0)
    loaded(qtbot, dlg)
    assert dlg.table.column("a").kind != "numeric"  # "1,5" is no longer a number


def test_big_file_loads_off_the_gui_thread_and_can_be_stopped(qtbot, window, tmp_path):
    p = tmp_path / "big.csv"
    random_csv(p, 400_000, "a,b,c,y", seed=0)
    dlg = window.open_csv(p)
    # the GUI returned before the reading's result arrived (it arrives through the
    # event loop): the reading runs on a worker (which may even have finished by now)
    assert dlg.worker is not None
    qtbot.mouseClick(dlg.cancel_load, QtCore.Qt.MouseButton.LeftButton)
    loaded(qtbot, dlg)
    assert "stopped" in dlg.message.text() and dlg.table is None
    dlg.reject()
    assert window.session.dataset.name == "diabetes"


def test_drop_a_file_on_the_window(qtbot, window, tmp_path):
    p = tmp_path / "drop.csv"
    p.write_text("x1,x2,y\n1,2,3\n2,1,3\n3,3,7\n4,0,5\n")
    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(p))])
    pos = QtCore.QPointF(200, 200)
    enter = QtGui.QDragEnterEvent(
        pos.toPoint(),
        QtCore.Qt.DropAction.CopyAction,
        mime,
        QtCore.Qt.MouseButton.LeftButton,
        QtCore.Qt.KeyboardModifier.NoModifier,
    )
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QtGui.QDropEvent(
        pos,
        QtCore.Qt.DropAction.CopyAction,
        mime,
        QtCore.Qt.MouseButton.LeftButton,
        QtCore.Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: window.files.last_dialog is not None, timeout=5000)
    dlg = loaded(qtbot, window.files.last_dialog)
    assert dlg.path == p
    import_now(qtbot, window, dlg)
    assert window.session.dataset.feature_names == ("x1", "x2")


def test_recent_files_menu_reopens_and_forgets_missing_files(qtbot, window, tmp_path):
    p = tmp_path / "again.csv"
    p.write_text("x,y\n1,2\n2,3\n3,5\n")
    dlg = loaded(qtbot, window.open_csv(p))
    import_now(qtbot, window, dlg)
    menu = window.files.recent_menu
    menu.aboutToShow.emit()
    actions = [a for a in menu.actions() if a.text() == "again.csv"]
    assert actions
    p.unlink()
    actions[0].trigger()
    assert "does not exist" in window.errors[-1]
    assert str(p.resolve()) not in window.files.recent.paths()


def test_command_line_csv_opens_in_the_window(qtbot, make_window, tmp_path):
    p = tmp_path / "cli.csv"
    p.write_text("a,b,label\n1,2,yes\n2,1,no\n3,5,yes\n0,1,no\n4,4,yes\n")
    w = make_window("--csv", str(p), "--target", "label")
    assert w.session.dataset.name == "cli.csv" and w.session.loss == "logistic"
    assert "two values: no → −1, yes → +1" in w.data_panel.text.toPlainText()


def test_import_runs_off_the_gui_thread_and_can_be_stopped(qtbot, window, tmp_path):
    p = tmp_path / "wide.csv"
    random_csv(p, 200_000, "a,b,c,d,e,y", seed=2)
    dlg = loaded(qtbot, window.open_csv(p))
    qtbot.mouseClick(dlg.import_button, QtCore.Qt.MouseButton.LeftButton)
    # the click returned at once: building and standardizing run on the worker
    assert dlg.importing and dlg.worker is not None and dlg.isVisible()
    assert not dlg.import_button.isEnabled() and not dlg.standardize.isEnabled()
    qtbot.mouseClick(dlg.cancel_load, QtCore.Qt.MouseButton.LeftButton)
    loaded(qtbot, dlg)
    assert "Import stopped" in dlg.message.text()
    assert window.session.dataset.name == "diabetes"  # nothing changed
    assert dlg.import_button.isEnabled() and dlg.standardize.isEnabled()
    import_now(qtbot, window, dlg)  # and again, to the end
    assert window.session.data.n_features == 5


def test_ctrl_o_opens_the_chosen_file(qtbot, window, tmp_path, monkeypatch):
    from PySide6 import QtWidgets

    p = tmp_path / "keys.csv"
    p.write_text("x,y\n1,2\n2,3\n3,5\n4,4\n")
    monkeypatch.setattr(
        QtWidgets.QFileDialog,
        "getOpenFileName",
        staticmethod(lambda *a, **k: (str(p), "")),
    )
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        window, QtCore.Qt.Key.Key_O, QtCore.Qt.KeyboardModifier.ControlModifier
    )
    dlg = loaded(qtbot, window.files.last_dialog)
    assert dlg.path == p and dlg.isVisible()
    dlg.reject()


def test_options_standardize_split_and_seed_reach_the_session(qtbot, window, tmp_path):
    p = tmp_path / "opts.csv"
    A = np.random.default_rng(3).standard_normal((50, 3)) * [1, 100, 0.01]
    np.savetxt(p, A, delimiter=",", header="a,b,y", comments="", fmt="%.5f")
    dlg = loaded(qtbot, window.open_csv(p))
    assert dlg.standardize.isChecked()  # on by default, with its reason
    assert "penalties compare weights" in dlg.standardize.text()
    assert dlg.options() == {"standardize": True, "validation": 0.2, "split_seed": 0}
    dlg.validation.setValue(0.3)
    dlg.split_seed.setValue(7)
    import_now(qtbot, window, dlg)
    s = window.session
    st = s.settings
    assert (st.standardize, st.validation, st.split_seed) == (True, 0.3, 7)
    assert s.data.X_val.shape[0] == 15 and s.data.n_samples == 35
    np.testing.assert_allclose(s.data.X.std(axis=0), 1.0)
    first_split = s.data.X_val.copy()

    dlg = loaded(qtbot, window.open_csv(p))
    dlg.standardize.setChecked(False)
    dlg.validation.setValue(0.3)
    dlg.split_seed.setValue(8)
    import_now(qtbot, window, dlg)
    assert not s.settings.standardize and s.settings.split_seed == 8
    assert s.data.X.std(axis=0)[1] > 10  # raw scales
    assert not np.array_equal(s.data.X_val, first_split)  # another split


def test_format_overrides_reread_the_file(qtbot, window, tmp_path):
    p = tmp_path / "fmt.csv"
    p.write_text("a\tb\ty\n1\t2\t3\n4\t5\t6\n7\t8\t10\n")
    dlg = loaded(qtbot, window.open_csv(p))
    assert dlg.table.names == ["a", "b", "y"]
    # no header row: the names become data, the columns column_1 ...
    dlg.header.setChecked(False)
    loaded(qtbot, dlg)
    assert dlg.table.names == ["column_1", "column_2", "column_3"]
    assert dlg.table.n_rows == 4
    dlg.header.setChecked(True)
    loaded(qtbot, dlg)
    # the wrong delimiter: one column
    i = dlg.delimiter.findData(",")
    dlg.delimiter.setCurrentIndex(i)
    dlg.delimiter.activated.emit(i)
    loaded(qtbot, dlg)
    assert len(dlg.table.names) == 1
    # an encoding chosen by hand is used
    i = dlg.encoding.findData("latin-1")
    dlg.encoding.setCurrentIndex(i)
    dlg.encoding.activated.emit(i)
    loaded(qtbot, dlg)
    assert dlg.current_format().encoding == "latin-1"
    assert "Latin-1" in dlg.message.text() or "latin" in dlg.message.text().lower()
    dlg.reject()


def test_progress_is_reported_while_a_big_file_is_read(qtbot, window, tmp_path):
    p = tmp_path / "prog.csv"
    random_csv(p, 600_000, "a,b,y", seed=4)
    dlg = window.open_csv(p)
    seen = []  # what the progress bar shows while the file is read
    dlg.progress.valueChanged.connect(lambda v: seen.append((v, dlg.progress.format())))
    loaded(qtbot, dlg)
    assert len(seen) >= 2 and 0 < seen[0][0] < seen[-1][0] <= 1000
    assert "rows read" in seen[-1][1]
    assert dlg.table.n_rows == 600_000
    dlg.reject()


def test_a_two_valued_target_suggests_logistic_loss(qtbot, window, tmp_path):
    p = tmp_path / "classes.csv"
    p.write_text("a,b,label\n1,2,yes\n2,1,no\n3,5,yes\n0,1,no\n4,4,yes\n")
    dlg = loaded(qtbot, window.open_csv(p))
    assert "target 'b' (regression → squared loss)" in dlg.summary.text()
    m = dlg.model  # tick 'label' as the target
    m.setData(
        m.index(dlg.table.names.index("label"), 1),
        QtCore.Qt.CheckState.Checked.value,
        QtCore.Qt.ItemDataRole.CheckStateRole,
    )
    assert "target 'label' (two classes → logistic loss)" in dlg.summary.text()
    i = dlg.loss.findData("squared")
    dlg.loss.setCurrentIndex(i)
    dlg.loss.activated.emit(i)
    assert "regression → squared loss" in dlg.summary.text()
    dlg.reject()


def test_ten_thousand_columns_through_the_dialog(qtbot, window, tmp_path):
    p = tmp_path / "wide.csv"
    A = np.random.default_rng(5).standard_normal((40, 10_000)).round(3)
    names = ",".join(f"feature_number_{j:05d}" for j in range(10_000))
    np.savetxt(p, A, delimiter=",", header=names, comments="", fmt="%.3f")
    dlg = window.open_csv(p)
    # even the first rows are read on the worker: the window is not held up
    assert dlg.worker is not None and dlg.preview_model.rowCount() == 0
    loaded(qtbot, dlg)
    assert dlg.preview_model.columnCount() == 10_000
    assert len(dlg.table.columns) == 10_000
    assert "9999 feature columns" in dlg.summary.text()
    dlg.validation.setValue(0.0)
    import_now(qtbot, window, dlg)
    assert window.session.data.n_features == 9_999
    assert window.session.dataset.target_name == "feature_number_09999"


def test_changing_the_format_while_the_file_is_read_reads_it_again(
    qtbot, window, tmp_path
):
    p = tmp_path / "long.csv"
    random_csv(p, 600_000, "a,b,y", seed=6)
    dlg = window.open_csv(p)
    qtbot.waitUntil(lambda: dlg.preview_model.rowCount() > 0, timeout=10000)
    assert dlg.worker is not None  # the whole file is being read
    dlg.skip_bad.setChecked(True)  # a format change: start again
    loaded(qtbot, dlg)
    assert dlg.table is not None and dlg.table.n_rows == 600_000
    assert "stopped" not in dlg.message.text() and dlg.import_button.isEnabled()
    dlg.reject()


def test_closing_the_dialog_while_importing_changes_nothing(qtbot, window, tmp_path):
    p = tmp_path / "close.csv"
    random_csv(p, 200_000, "a,b,c,y", seed=7)
    dlg = loaded(qtbot, window.open_csv(p))
    qtbot.mouseClick(dlg.import_button, QtCore.Qt.MouseButton.LeftButton)
    assert dlg.importing
    qtbot.keyClick(dlg, QtCore.Qt.Key.Key_Escape)  # close at once, without waiting
    assert not dlg.isVisible()
    from gui.dialogs.import_dialog import DETACHED_WORKERS

    qtbot.waitUntil(
        lambda: not DETACHED_WORKERS, timeout=30000
    )  # it ended in the background
    assert window.session.dataset.name == "diabetes"


def test_a_split_that_fails_can_be_changed_and_imported(qtbot, window, tmp_path):
    p = tmp_path / "rare.csv"
    p.write_text("a,b,label\n1,2,yes\n2,1,no\n3,5,no\n0,1,no\n4,4,no\n5,3,no\n")
    dlg = loaded(qtbot, window.open_csv(p))
    m = dlg.model
    m.setData(
        m.index(dlg.table.names.index("label"), 1),
        QtCore.Qt.CheckState.Checked.value,
        QtCore.Qt.ItemDataRole.CheckStateRole,
    )
    dlg.validation.setValue(0.5)
    dlg.split_seed.setValue(1)
    qtbot.mouseClick(dlg.import_button, QtCore.Qt.MouseButton.LeftButton)
    loaded(qtbot, dlg)
    assert "only one class" in dlg.message.text()
    assert not dlg.import_button.isEnabled()
    dlg.split_seed.setValue(2)  # another split: try again
    assert dlg.import_button.isEnabled() and "only one class" not in dlg.message.text()
    import_now(qtbot, window, dlg)
    assert window.session.dataset.name == "rare.csv"
    assert window.session.settings.split_seed == 2


def test_a_mini_batch_size_outlives_a_smaller_dataset(qtbot, window, tmp_path):
    c = window.controls
    c.minibatch_box.setChecked(True)
    c.batch_spin.setValue(64)
    assert window.session.trainer.batch_size == 64
    p = tmp_path / "small.csv"
    p.write_text("x,y\n" + "".join(f"{i},{2 * i + 1}\n" for i in range(40)))
    dlg = loaded(qtbot, window.open_csv(p))
    dlg.validation.setValue(0.0)
    import_now(qtbot, window, dlg)
    assert window.session.trainer.full_batch  # 40 rows: every step sees them all
    assert window.load_bundled("diabetes")
    assert window.session.trainer.batch_size == 64  # the setting is back


def test_the_dialog_has_no_rules_of_its_own():
    import ast
    from pathlib import Path

    import gui.dialogs.import_dialog

    tree = ast.parse(Path(gui.dialogs.import_dialog.__file__).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "engine"
        ):
            private = [a.name for a in node.names if a.name.startswith("_")]
            assert not private, f"imports private engine names: {private}"
    functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert not functions, f"module-level functions (rules?): {functions}"


def test_the_dialog_shows_what_the_plan_decides(qtbot, window, tmp_path, monkeypatch):
    from engine.csv import ImportPlan

    monkeypatch.setattr(ImportPlan, "meaning", lambda self, name: f"plan says {name}")
    monkeypatch.setattr(ImportPlan, "summary", lambda self: "the plan's summary")
    monkeypatch.setattr(ImportPlan, "kind", lambda self, name: "a kind")
    monkeypatch.setattr(ImportPlan, "problem", lambda self: "the plan's reason")
    p = tmp_path / "plan.csv"
    p.write_text("a,b,y\n1,2,3\n2,1,4\n3,5,2\n")
    dlg = loaded(qtbot, window.open_csv(p))
    m = dlg.model
    assert m.data(m.index(1, 5)) == "plan says b"
    assert m.data(m.index(1, 3)) == "a kind"
    # Import is unavailable for the plan's reason, which is on screen
    assert not dlg.import_button.isEnabled()
    assert dlg.why_import_unavailable() == "the plan's reason"
    assert dlg.import_button.toolTip() == "the plan's reason"
    # ticking goes to the plan: the target it chose is the dialog's
    monkeypatch.setattr(ImportPlan, "problem", lambda self: "")
    m.setData(
        m.index(0, 1),
        QtCore.Qt.CheckState.Checked.value,
        QtCore.Qt.ItemDataRole.CheckStateRole,
    )
    assert dlg.plan.target == "a" and dlg.choices().target == "a"
    assert dlg.summary.text() == "the plan's summary"
    assert dlg.import_button.isEnabled() and dlg.why_import_unavailable() == ""
    assert m.data(m.index(0, 1), QtCore.Qt.ItemDataRole.CheckStateRole) == (
        QtCore.Qt.CheckState.Checked
    )
    dlg.reject()


def test_no_target_found_keeps_what_was_read_and_says_to_pick_one(
    qtbot, window, tmp_path
):
    q = tmp_path / "text_only.csv"
    q.write_text(
        "word,colour\n" + "\n".join(f"w{i},{'abc'[i % 3]}" for i in range(12)) + "\n"
    )
    dlg = loaded(qtbot, window.open_csv(q))
    text = dlg.message.text()
    assert "Read 12 rows" in text  # what was read is not overwritten …
    assert "no numeric column to use as the target" in text  # … and says why
    assert "pick a target column below" in text
    assert not dlg.import_button.isEnabled()
    m = dlg.model  # choosing a target takes the hint away
    m.setData(
        m.index(dlg.table.names.index("colour"), 1),
        QtCore.Qt.CheckState.Checked.value,
        QtCore.Qt.ItemDataRole.CheckStateRole,
    )
    assert dlg.plan.target == "colour"
    assert "pick a target column" not in dlg.message.text()
    assert "Read 12 rows" in dlg.message.text()
    dlg.reject()


# -- real files: blanks, counts, classes, UTF-16; Import always says why not -------------
def choose(box, data):
    """Pick the item of combo box ``box`` holding ``data``, as a user does."""
    i = box.findData(data)
    assert i >= 0, f"{data!r} is not offered"
    box.setCurrentIndex(i)
    box.activated.emit(i)


def tick(dlg, column, name):
    m = dlg.model
    m.setData(
        m.index(dlg.table.names.index(name), column),
        QtCore.Qt.CheckState.Checked.value,
        QtCore.Qt.ItemDataRole.CheckStateRole,
    )


def test_whitespace_is_a_delimiter_offered_and_detected(qtbot, window, tmp_path):
    from engine.csv import WHITESPACE

    p = tmp_path / "spector.dat"
    p.write_text(
        "'OBS' 'GPA' 'TUCE' 'GRADE'\n"
        + "".join(
            f"{i + 1} {2 + i % 7 * 0.3:.2f} {20 + i % 5} {i % 2}\n" for i in range(12)
        )
    )
    dlg = loaded(qtbot, window.open_csv(p))
    assert dlg.delimiter.findData(WHITESPACE) >= 0  # offered
    assert dlg.current_format().delimiter == WHITESPACE  # and detected
    assert dlg.table.names == ["OBS", "GPA", "TUCE", "GRADE"]  # no quotes
    assert dlg.plan.kind("OBS") == "ID"  # a row counter
    assert dlg.import_button.isEnabled()
    # the comma does not split it: then there is nothing to predict, and it says so
    choose(dlg.delimiter, ",")
    loaded(qtbot, dlg)
    assert not dlg.import_button.isEnabled()
    assert "target" in dlg.why_import_unavailable().lower()
    dlg.reject()


def test_iris_asks_for_its_positive_class_before_import(qtbot, window):
    from tests.engine.test_csv_real import SKLEARN_DATA

    dlg = loaded(qtbot, window.open_csv(SKLEARN_DATA / "iris.csv"))
    assert dlg.counts.isChecked() and not dlg.header.isChecked()
    assert dlg.table.names == ["x1", "x2", "x3", "x4", "target"]
    assert dlg.model.target == "target"
    why = dlg.why_import_unavailable()
    assert "has 3 classes (setosa, versicolor, virginica)" in why
    assert "choose its positive class" in why
    assert dlg.import_button.toolTip() == why
    box = dlg.positive_class
    assert box.isEnabled() and box.currentData() is None
    assert [box.itemData(i) for i in range(box.count())] == [
        None,
        "setosa",
        "versicolor",
        "virginica",
    ]
    # squared loss cannot treat text as a number: still unavailable, saying why
    choose(dlg.loss, "squared")
    assert "cannot be treated as a number" in dlg.why_import_unavailable()
    assert not box.isEnabled()
    choose(dlg.loss, "auto")
    choose(box, "virginica")
    assert dlg.import_button.isEnabled() and dlg.why_import_unavailable() == ""
    assert "virginica against the other 2 classes → logistic loss" in (
        dlg.summary.text()
    )
    import_now(qtbot, window, dlg)
    ds = window.session.dataset
    assert ds.task == "classification" and (ds.y == 1).sum() == 50
    assert ds.source["choices"]["positive_class"] == "virginica"
    assert window.session.settings.loss == "logistic"


def test_a_few_whole_numbers_can_be_a_number_on_request(qtbot, window, tmp_path):
    p = tmp_path / "grades.csv"
    p.write_text("a,b,grade\n" + "".join(f"{i},{i % 4},{i % 3}\n" for i in range(12)))
    dlg = loaded(qtbot, window.open_csv(p))
    assert "or treat it as a number (squared loss)" in dlg.why_import_unavailable()
    choose(dlg.loss, "squared")
    assert dlg.import_button.isEnabled() and not dlg.positive_class.isEnabled()
    assert "regression → squared loss" in dlg.summary.text()
    # another target forgets the class chosen for this one
    choose(dlg.loss, "auto")
    choose(dlg.positive_class, "2")
    assert dlg.import_button.isEnabled()
    tick(dlg, 1, "b")
    assert dlg.plan.positive_class is None
    assert "has 4 classes" in dlg.why_import_unavailable()
    dlg.reject()


def test_import_always_says_why_it_is_unavailable(qtbot, window, tmp_path):
    p = tmp_path / "plain.csv"
    p.write_text("a,b,y\n1,2,3\n2,1,4\n3,5,2\n4,4,4\n")
    dlg = window.open_csv(p)
    assert dlg.why_import_unavailable() == "Reading the file…"  # while it reads
    loaded(qtbot, dlg)
    assert dlg.import_button.isEnabled()
    for name in ("a", "b"):  # untick every feature
        m = dlg.model
        m.setData(
            m.index(dlg.table.names.index(name), 0),
            QtCore.Qt.CheckState.Unchecked.value,
            QtCore.Qt.ItemDataRole.CheckStateRole,
        )
    assert "No feature column is used" in dlg.why_import_unavailable()
    dlg.reject()
    text = tmp_path / "words.csv"
    text.write_text("a,b\nx,y\nz,w\nq,r\n")
    dlg = loaded(qtbot, window.open_csv(text))
    assert "No target column is chosen" in dlg.why_import_unavailable()
    dlg.reject()


def test_utf16_files_are_read_in_the_dialog(qtbot, window, tmp_path):
    p = tmp_path / "excel.csv"
    rows = "".join(f"{i}\t{(i * 5) % 7}\t{(i * 3) % 11}\n" for i in range(10))
    p.write_bytes(("größe\tb\ty\n" + rows).encode("utf-16"))
    dlg = loaded(qtbot, window.open_csv(p))
    assert dlg.current_format().encoding == "utf-16"
    assert dlg.encoding.currentText() == "UTF-16 with BOM"
    assert dlg.table.names == ["größe", "b", "y"]
    assert dlg.preview_model.rowCount() == 10
    import_now(qtbot, window, dlg)
    assert window.session.dataset.feature_names == ("größe", "b")


def test_a_csv_whose_target_needs_a_choice_opens_in_the_dialog(
    qtbot, make_window, capture_errors
):
    from tests.engine.test_csv_real import SKLEARN_DATA

    w = capture_errors(make_window("--csv", str(SKLEARN_DATA / "iris.csv")))
    qtbot.waitUntil(lambda: getattr(w.files, "last_dialog", None) is not None)
    dlg = loaded(qtbot, w.files.last_dialog)
    assert "choose its positive class" in dlg.why_import_unavailable()
    assert w.errors == []  # no error box: the dialog asks
    dlg.reject()
    # with the positive class given, the window opens on it directly
    w2 = make_window(
        "--csv", str(SKLEARN_DATA / "iris.csv"), "--positive-class", "setosa"
    )
    assert w2.session.dataset.class_labels == ("not setosa", "setosa")


def test_a_file_pandas_reads_on_every_core_shows_a_busy_bar(
    qtbot, window, tmp_path, monkeypatch
):
    """pandas reading a big file by its path says nothing until it is done: the bar
    is busy meanwhile, then the table is there; Stop forgets the read at once."""
    from engine.csv import parallel

    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)
    p = tmp_path / "par.csv"
    random_csv(p, 20_000, "a,b,y", seed=5)
    dlg = window.open_csv(p)
    shown = []
    dlg.progress.setFormat = lambda text, real=dlg.progress.setFormat: (
        shown.append((dlg.progress.maximum(), text)),
        real(text),
    )
    loaded(qtbot, dlg)
    assert (0, "reading 0 MB on every core") in shown  # a busy bar says so
    assert dlg.table.n_rows == 20_000 and dlg.import_button.isEnabled()
    dlg.reload()  # read again, and stop at once
    qtbot.mouseClick(dlg.cancel_load, QtCore.Qt.MouseButton.LeftButton)
    assert dlg.worker is None and "stopped" in dlg.message.text()
    assert not dlg.progress.isVisible()
    dlg.reject()
    assert window.session.dataset.name == "diabetes"
