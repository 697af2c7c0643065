"""Closing the window stops every worker first: a thread destroyed while running
aborts the process ("QThread: Destroyed while thread is still running")."""

from __future__ import annotations

import threading

from gui.worker import Worker


def test_closing_the_window_stops_a_running_worker(make_window, qtbot):
    w = make_window("--dataset", "houses")
    started = threading.Event()
    seen_cancel = []

    def work(progress, cancel):
        started.set()
        while not cancel():
            threading.Event().wait(0.01)
        seen_cancel.append(True)
        return "stopped"

    worker = Worker(work, w)
    worker.start()
    assert started.wait(5)
    assert worker.isRunning()
    w.close()
    assert not worker.isRunning() and worker not in Worker.running()
    assert seen_cancel == [True]
