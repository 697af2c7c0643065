"""Recording training runs as animated GIFs and PNG sequences."""

import numpy as np
import pytest
from PIL import Image, ImageSequence
from PySide6 import QtCore, QtGui, QtWidgets

from gui.actions.recording import record, to_pil
from gui.dialogs.record_dialog import RecordDialog
from gui.throttle import Throttle
from tests.gui.helpers import context_menu


@pytest.fixture
def window(make_window, capture_errors):
    w = capture_errors(make_window("--dataset", "diabetes"))
    w.session.step(30)  # not at the start: recording must continue from here
    return w


def pixels(path_or_image):
    im = path_or_image
    if not isinstance(im, Image.Image):
        im = Image.open(im)
    return np.asarray(im.convert("RGB"), dtype=int)


def test_weights_pane_gif_and_pngs_have_one_frame_every_k_steps(window, tmp_path):
    pane = window.panes["weights"]
    step0 = window.session.trainer.step_count
    gif = tmp_path / "weights.gif"
    calls = []
    res = record(
        pane,
        window.session,
        20,
        5,
        gif_path=gif,
        png_dir=tmp_path / "frames",
        progress=lambda f, m: calls.append((f, m)),
    )

    size = (pane.width(), pane.height())
    assert (res.frames, res.size, res.cancelled, res.steps) == (5, size, False, 20)
    assert res.gif_path == gif
    # (b) no reset: exactly 20 more steps from where the run was
    assert window.session.trainer.step_count == step0 + 20
    assert not window.session.playing
    with Image.open(gif) as im:
        assert im.n_frames == 5
        assert im.info["loop"] == 0
        frames = [f.convert("RGB") for f in ImageSequence.Iterator(im)]
    assert all(f.size == size for f in frames)
    names = [p.name for p in res.png_paths]
    assert names == [f"weights_{i:04d}.png" for i in range(5)]
    assert sorted(p.name for p in (tmp_path / "frames").iterdir()) == names
    pngs = [pixels(p) for p in res.png_paths]
    assert all(p.shape == (size[1], size[0], 3) for p in pngs)
    # (c) the weights moved: the first and last frames differ
    assert not np.array_equal(pngs[0], pngs[-1])
    # the GIF shows the same pictures (up to the 256-colour palette), also after its
    # frames were stored as changed rectangles
    for png, frame in zip(pngs, frames, strict=True):
        gif_px = pixels(frame)
        assert np.abs(png - gif_px).mean() < 3
        # flat colours (background, bars, text) stay exact in every frame: no faint
        # rectangles where a frame stored only what changed
        colours, counts = np.unique(png.reshape(-1, 3), axis=0, return_counts=True)
        for colour in colours[np.argsort(-counts)[:8]]:
            where = (png == colour).all(axis=2)
            assert (gif_px[where] == colour).all()
    assert [round(f, 2) for f, _ in calls] == [0.2, 0.4, 0.6, 0.8, 1.0]
    assert calls[-1][1] == f"frame 5 of 5, step {step0 + 20:,}"
    assert not hasattr(Throttle, "immediate")  # no class-wide switch left on
    assert not list(tmp_path.glob("*.part"))


def test_scale_two_doubles_the_frame_size(window, tmp_path):
    pane = window.panes["weights"]
    res = record(
        pane,
        window.session,
        5,
        5,
        gif_path=tmp_path / "w2.gif",
        png_dir=tmp_path,
        scale=2,
    )
    size = (2 * pane.width(), 2 * pane.height())
    assert res.size == size
    with Image.open(res.gif_path) as im:
        assert (im.n_frames, im.size) == (2, size)
    with Image.open(res.png_paths[0]) as im:
        assert im.size == size


def test_png_only_frames_are_named_frame_and_unchanged_frames_still_count(
    qtbot, window, tmp_path
):
    label = QtWidgets.QLabel("always the same")  # frames that never change
    qtbot.addWidget(label)
    label.resize(120, 30)
    res = record(label, window.session, 4, 2, png_dir=tmp_path / "new" / "d")
    assert res.gif_path is None
    assert [p.name for p in res.png_paths] == [f"frame_{i:04d}.png" for i in range(3)]
    assert np.array_equal(pixels(res.png_paths[0]), pixels(res.png_paths[2]))
    res = record(label, window.session, 4, 2, gif_path=tmp_path / "same.gif")
    with Image.open(res.gif_path) as im:
        assert im.n_frames == res.frames == 3  # Pillow's save_all would merge them
        assert im.size == (120, 30)


def test_cancel_keeps_the_frames_so_far(window, tmp_path):
    step0 = window.session.trainer.step_count
    seen = []
    res = record(
        window.panes["weights"],
        window.session,
        50,
        5,
        gif_path=tmp_path / "c.gif",
        png_dir=tmp_path,
        progress=lambda f, m: seen.append(f),
        cancel=lambda: len(seen) >= 2,
    )
    assert res.cancelled and res.frames == 2
    assert window.session.trainer.step_count == step0 + 5
    assert [p.name for p in res.png_paths] == ["c_0000.png", "c_0001.png"]
    assert all(p.exists() for p in res.png_paths)
    assert not (tmp_path / "c_0002.png").exists()
    with Image.open(tmp_path / "c.gif") as im:
        assert im.n_frames == 2


def test_cancel_before_any_step_still_writes_the_first_frame(window, tmp_path):
    res = record(
        window, window.session, 10, 5, gif_path=tmp_path / "w.gif", cancel=lambda: True
    )
    assert res.cancelled and res.frames == 1 and res.steps == 0
    with Image.open(res.gif_path) as im:
        assert (im.n_frames, im.size) == (1, (window.width(), window.height()))


@pytest.mark.parametrize("where", ["inside_a_file", "missing_folder"])
def test_unwritable_paths_raise_oserror_naming_the_path(window, tmp_path, where):
    (tmp_path / "file.txt").write_text("not a folder")
    parent = tmp_path / ("file.txt" if where == "inside_a_file" else "no/such/dir")
    gif = parent / "out.gif"
    step0 = window.session.trainer.step_count
    with pytest.raises(OSError, match="out.gif"):
        record(window.panes["weights"], window.session, 10, 5, gif_path=gif)
    with pytest.raises(OSError, match="frames"):
        record(
            window.panes["weights"],
            window.session,
            10,
            5,
            png_dir=tmp_path / "file.txt" / "frames",
        )
    assert window.session.trainer.step_count == step0  # refused before training
    assert not hasattr(Throttle, "immediate")  # no class-wide switch left on


def test_an_existing_gif_is_only_replaced_by_a_complete_one(window, tmp_path):
    gif = tmp_path / "keep.gif"
    gif.write_bytes(b"old")

    def boom(fraction, message):
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        record(window, window.session, 10, 5, gif_path=gif, progress=boom)
    assert gif.read_bytes() == b"old"
    assert not list(tmp_path.glob("*.part"))
    assert not hasattr(Throttle, "immediate")  # no class-wide switch left on


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"steps": 5000, "every": 1}, "at most 1,000"),
        ({"steps": 0, "every": 1}, "at least 1"),
        ({"steps": 10, "every": 5, "fps": 100}, "at most 50"),
        ({"steps": 10, "every": 5, "gif_path": None}, "nothing to write"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(
    window, tmp_path, kwargs, fragment
):
    kwargs = {"gif_path": tmp_path / "x.gif", **kwargs}
    with pytest.raises(ValueError, match=fragment):
        record(window.panes["weights"], window.session, **kwargs)
    assert not (tmp_path / "x.gif").exists()


def test_qimage_rows_are_read_with_their_padding():
    img = QtGui.QImage(7, 3, QtGui.QImage.Format.Format_RGB32)  # 21 bytes → 24
    for x in range(7):
        for y in range(3):
            img.setPixelColor(x, y, QtGui.QColor(30 * x, 80 * y, 5))
    a = pixels(to_pil(img))
    assert a[:, :, 0].tolist() == [[30 * x for x in range(7)]] * 3
    assert a[:, :, 1].tolist() == [[80 * y] * 7 for y in range(3)]


def test_dialog_records_through_its_widgets(qtbot, window, tmp_path):
    dlg = RecordDialog(window)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.output.text().endswith(".gif")
    assert "window_diabetes" in dlg.output.text()
    dlg.what.setCurrentIndex(dlg.what.findData("weights"))
    assert "weights_diabetes" in dlg.output.text()
    dlg.steps.setValue(20)
    dlg.every.setValue(5)
    dlg.png_box.setChecked(True)
    assert "5 frames" in dlg.frames_label.text()
    out = tmp_path / "run.gif"
    dlg.output.setText(str(out))
    step0 = window.session.trainer.step_count
    states = []
    window.session.stepped.connect(
        lambda: states.append((dlg.recording, dlg.steps.isEnabled()))
    )

    qtbot.mouseClick(dlg.record_button, QtCore.Qt.MouseButton.LeftButton)

    assert (True, False) in states  # the controls were disabled while recording
    assert dlg.message.text().startswith("Wrote 5 frames")
    assert str(out) in dlg.message.text()
    assert window.session.trainer.step_count == step0 + 20
    with Image.open(out) as im:
        assert im.n_frames == 5
    assert len(list((tmp_path / "run_frames").glob("run_*.png"))) == 5
    assert dlg.steps.isEnabled() and dlg.record_button.isEnabled()
    assert not dlg.stop_button.isEnabled()


def test_dialog_shows_errors_and_stops_on_request(qtbot, window, tmp_path):
    dlg = RecordDialog(window)
    qtbot.addWidget(dlg)
    dlg.show()
    (tmp_path / "file.txt").write_text("x")
    dlg.output.setText(str(tmp_path / "file.txt" / "a.gif"))
    qtbot.mouseClick(dlg.record_button, QtCore.Qt.MouseButton.LeftButton)
    assert "Cannot record" in dlg.message.text()
    assert "a.gif" in dlg.message.text()
    assert "Traceback" not in dlg.message.text()

    dlg.output.setText(str(tmp_path / "b.gif"))
    dlg.what.setCurrentIndex(dlg.what.findData("curves"))
    dlg.every.setValue(1)
    window.session.stepped.connect(
        lambda: (
            dlg.recording
            and window.session.trainer.step_count > 35
            and qtbot.mouseClick(dlg.stop_button, QtCore.Qt.MouseButton.LeftButton)
        )
    )
    qtbot.mouseClick(dlg.record_button, QtCore.Qt.MouseButton.LeftButton)
    assert dlg.result.cancelled
    assert dlg.message.text().startswith("Stopped early. Wrote")
    assert dlg.result.frames < 20


def test_dialog_refuses_too_many_frames(qtbot, window):
    dlg = RecordDialog(window)
    qtbot.addWidget(dlg)
    dlg.steps.setValue(100_000)
    dlg.every.setValue(1)
    assert not dlg.record_button.isEnabled()
    assert "at most 1,000" in dlg.frames_label.text()
    assert "every 101 steps" in dlg.frames_label.text()
    dlg.every.setValue(101)
    assert "991 frames" in dlg.frames_label.text()
    assert dlg.record_button.isEnabled()


def test_a_divergence_ends_the_recording_with_a_frame_of_it(window, tmp_path):
    window.session.edit(lr=50 * window.session.trainer.lr_max)
    res = record(window, window.session, 200, 5, gif_path=tmp_path / "d.gif")
    assert res.diverged and not res.cancelled
    assert res.steps < 200 and res.frames == 2 + res.steps // 5
    assert window.session.trainer.divergence is not None
    with Image.open(res.gif_path) as im:
        assert im.n_frames == res.frames
    with pytest.raises(ValueError, match="diverged"):
        record(window, window.session, 10, 5, gif_path=tmp_path / "again.gif")


def test_file_menu_and_shortcut_open_the_dialog_for_the_focused_pane(qtbot, window):
    file_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text() == "&File"
    )
    assert window.figures.record_action in file_menu.actions()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.trajectories.plot_widget.setFocus()
    assert window.figures.focused_pane() == "trajectories"
    qtbot.keyClick(
        window,
        QtCore.Qt.Key.Key_R,
        QtCore.Qt.KeyboardModifier.ControlModifier
        | QtCore.Qt.KeyboardModifier.ShiftModifier,
    )
    dlg = window.figures.record_dialog
    assert dlg is not None and dlg.isVisible()
    assert dlg.what.currentData() == "trajectories"
    dlg.close()


def test_right_click_on_a_pane_records_that_pane(qtbot, window, tmp_path):
    menu = context_menu(window, window.curves.canvas.viewport())
    act = next(a for a in menu.actions() if a.text() == "Record animation…")
    menu.close()
    act.trigger()
    dlg = window.figures.record_dialog
    assert dlg.isVisible() and dlg.what.currentData() == "curves"
    assert "curves_diabetes" in dlg.output.text()
    dlg.steps.setValue(10)
    dlg.every.setValue(5)
    dlg.output.setText(str(tmp_path / "c.gif"))
    qtbot.mouseClick(dlg.record_button, QtCore.Qt.MouseButton.LeftButton)
    with Image.open(tmp_path / "c.gif") as im:
        assert im.n_frames == 3
        assert im.size == (window.curves.width(), window.curves.height())
    dlg.close()
    # opened again: the same dialog, settings and the chosen file kept, no old result
    again = window.figures.record("weights")
    assert again is dlg and dlg.steps.value() == 10
    assert dlg.what.currentData() == "weights"
    assert dlg.message.text() == "" and dlg.output.text() == str(tmp_path / "c.gif")
    again.close()


def test_a_run_replaced_while_recording_ends_it_without_frames_of_the_new_run(
    window, tmp_path
):
    def replace_after_two(fraction, message):
        if message.startswith("frame 2 "):
            window.load_bundled("houses")  # e.g. a session file finished opening

    res = record(
        window.panes["weights"],
        window.session,
        50,
        5,
        gif_path=tmp_path / "r.gif",
        progress=replace_after_two,
    )
    assert res.cancelled and res.frames == 2 and res.steps == 5
    with Image.open(res.gif_path) as im:
        assert im.n_frames == 2
    assert window.session.dataset.name == "houses"
    assert window.session.trainer.step_count == 0  # the new run was not trained


def test_the_dialog_waits_for_a_session_being_opened(qtbot, window, tmp_path):
    dlg = window.figures.record("weights")
    dlg.output.setText(str(tmp_path / "w.gif"))
    saved = tmp_path / "s.json"
    assert window.files.save_session(str(saved))
    window.files.open_session(str(saved))  # replays until the event loop runs again
    assert window.files.opening_session
    assert dlg.start() is None
    assert "Wait until the session has opened" in dlg.message.text()
    qtbot.waitUntil(lambda: not window.files.opening_session, timeout=30000)
    assert not (tmp_path / "w.gif").exists()
    dlg.close()
