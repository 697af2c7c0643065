"""An unexpected exception in the window: one dialog, a log file, Play stopped, the
run kept; a second failure while the dialog is open is logged, not shown again."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtWidgets

from gui.crash import log_file


@pytest.fixture
def failing_window(make_window, monkeypatch):
    w = make_window("--dataset", "houses", "--penalty", "l1")
    w.session.step(5)
    before = w.session.trainer.w.copy()
    reporter = w.crash_reporter
    reporter.install()
    yield w, before
    reporter.uninstall()
    if reporter.dialog is not None:
        reporter.dialog.close()


def _break_the_trainer(w, monkeypatch):
    def broken(k=1, **_):
        raise ZeroDivisionError("a tick that fails")

    monkeypatch.setattr(w.session.trainer, "step", broken)


def test_a_failing_tick_pauses_play_logs_and_shows_one_dialog(
    failing_window, monkeypatch, qtbot
):
    w, before = failing_window
    _break_the_trainer(w, monkeypatch)
    w.session.play()
    qtbot.waitUntil(lambda: w.crash_reporter.count >= 1, timeout=3000)
    qtbot.wait(200)  # more ticks would fail if Play went on
    assert not w.session.playing
    assert w.crash_reporter.count == 1
    box = w.crash_reporter.dialog
    assert box is not None and box.isVisible()
    assert "a tick that fails" in box.text()
    assert "ZeroDivisionError" in box.detailedText()
    assert str(log_file()) in box.informativeText()
    log = log_file().read_text(encoding="utf-8")
    assert "ZeroDivisionError: a tick that fails" in log and "Traceback" in log
    np.testing.assert_array_equal(w.session.trainer.w, before)  # the run is kept


def test_errors_while_the_dialog_is_open_are_counted_not_shown(
    failing_window, monkeypatch, qtbot
):
    w, _ = failing_window
    _break_the_trainer(w, monkeypatch)
    for _ in range(3):
        w.session.play()
        qtbot.waitUntil(lambda: not w.session.playing, timeout=3000)
    assert w.crash_reporter.count == 3 and w.crash_reporter.unseen == 2
    dialogs = [d for d in w.findChildren(QtWidgets.QMessageBox) if d.isVisible()]
    assert len(dialogs) == 1
    assert log_file().read_text(encoding="utf-8").count("Traceback") == 3


def test_copy_details_copies_without_closing(failing_window, monkeypatch, qtbot):
    w, _ = failing_window
    _break_the_trainer(w, monkeypatch)
    w.session.play()
    qtbot.waitUntil(lambda: w.crash_reporter.dialog is not None, timeout=3000)
    box = w.crash_reporter.dialog
    copy = next(b for b in box.buttons() if b.text() == "Copy details")
    copy.click()
    assert "ZeroDivisionError" in QtWidgets.QApplication.clipboard().text()
    assert box.isVisible()
    box.button(QtWidgets.QMessageBox.StandardButton.Close).click()
    assert w.crash_reporter.dialog is None
