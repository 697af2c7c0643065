"""The Record animation dialog (File › Record animation…): what to record, how many
steps, a frame every k steps, GIF and/or PNG frames, with a progress bar and Stop."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtWidgets

from gui import folders
from gui.actions.recording import (
    MAX_FPS,
    MAX_FRAMES,
    RecordingResult,
    record,
    write_error,
)
from gui.panes import FIGURE_TITLES

__all__ = ["RecordDialog"]


class RecordDialog(QtWidgets.QDialog):
    """Record the window or a pane while training: steps, frame spacing, GIF and/or
    PNG frames, 1× or 2×, with a progress bar and Stop.

    Parameters
    ----------
    window : gui.main_window.MainWindow
        The window whose session trains and whose panes are recorded.
    parent : QtWidgets.QWidget, optional
        Defaults to ``window``. The dialog is modal: nothing else in the window can
        change the run while it records.
    """

    def __init__(self, window, parent=None):
        super().__init__(parent if parent is not None else window)
        self.main_window = window
        self.recording = False
        self.result: RecordingResult | None = None
        self._stop = False
        self.setWindowTitle("Record animation")
        self.setModal(True)

        self.what = QtWidgets.QComboBox()
        for key, title in FIGURE_TITLES.items():
            self.what.addItem(title, key)
        self.what.setToolTip("What each frame shows")
        self.steps = QtWidgets.QSpinBox()
        self.steps.setRange(1, 10_000_000)
        self.steps.setGroupSeparatorShown(True)
        self.steps.setValue(200)
        self.steps.setToolTip("Training steps to take, from the current state")
        self.every = QtWidgets.QSpinBox()
        self.every.setRange(1, 10_000_000)
        self.every.setValue(5)
        self.every.setToolTip("Steps between two frames")
        self.fps = QtWidgets.QSpinBox()
        self.fps.setRange(1, MAX_FPS)
        self.fps.setValue(12)
        self.fps.setToolTip("Playback speed of the GIF")
        self.frames_label = QtWidgets.QLabel()
        self.gif_box = QtWidgets.QCheckBox("Animated GIF")
        self.gif_box.setChecked(True)
        self.png_box = QtWidgets.QCheckBox("PNG sequence")
        self.png_box.setToolTip(
            "Numbered PNG frames in a folder next to the file, e.g. for a video editor"
        )
        self.scale = QtWidgets.QComboBox()
        self.scale.addItem("1× (screen size)", 1)
        self.scale.addItem("2× (sharp on slides)", 2)
        self.keep_theme = QtWidgets.QCheckBox("Keep the screen's theme")
        self.keep_theme.setToolTip(
            "Record with the dark background if the dark theme is on (otherwise "
            "white, like exported figures)"
        )
        self.keep_theme.setChecked(bool(window.figures.keep_theme))
        self.with_controls = QtWidgets.QCheckBox("Include the pane's controls")
        self.with_controls.setToolTip(
            "Record a pane with its combo boxes, check boxes and buttons (otherwise "
            "the plot with its title, legend and caption, like exported figures)"
        )
        self.with_controls.setChecked(bool(window.figures.with_controls))
        self.output = QtWidgets.QLineEdit()
        self.output.setMinimumWidth(420)
        self.choose = QtWidgets.QPushButton("Choose…")
        self.choose.clicked.connect(self._choose)
        self.png_label = QtWidgets.QLabel()
        self.png_label.setWordWrap(True)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setFormat("%p%")
        self.message = QtWidgets.QLabel()
        self.message.setObjectName("recordResult")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(
            QtCore.Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.record_button = QtWidgets.QPushButton("Record")
        self.record_button.setDefault(True)
        self.record_button.clicked.connect(self.start)
        self.stop_button = QtWidgets.QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.close_button = QtWidgets.QPushButton("Close")
        self.close_button.clicked.connect(self.reject)

        form = QtWidgets.QFormLayout()
        form.addRow("Record", self.what)
        form.addRow("Training steps", self.steps)
        form.addRow("A frame every", self.every)
        form.addRow("Frames per second", self.fps)
        form.addRow("", self.frames_label)
        formats = QtWidgets.QHBoxLayout()
        formats.addWidget(self.gif_box)
        formats.addWidget(self.png_box)
        formats.addStretch(1)
        form.addRow("Format", formats)
        look = QtWidgets.QHBoxLayout()
        look.addWidget(self.scale)
        look.addWidget(self.keep_theme)
        look.addWidget(self.with_controls)
        look.addStretch(1)
        form.addRow("Scale", look)
        out = QtWidgets.QHBoxLayout()
        out.addWidget(self.output, 1)
        out.addWidget(self.choose)
        form.addRow("File", out)
        form.addRow("", self.png_label)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.close_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self._controls = (
            self.what,
            self.steps,
            self.every,
            self.fps,
            self.gif_box,
            self.png_box,
            self.scale,
            self.keep_theme,
            self.with_controls,
            self.output,
            self.choose,
        )

        self._auto_name = ""
        self._set_default_output()
        self.what.currentIndexChanged.connect(lambda _: self._set_default_output())
        for box in (self.steps, self.every, self.fps):
            box.valueChanged.connect(lambda _: self._update_summary())
        for box in (self.gif_box, self.png_box):
            box.toggled.connect(lambda _: self._update_summary())
        self.output.textChanged.connect(lambda _: self._update_summary())
        self._update_summary()

    # -- choices ----------------------------------------------------------------------
    def default_output(self) -> Path:
        """``<folder>/<what>_<dataset>_<penalty>_step<N>.gif`` in the export folder."""
        w = self.main_window
        name = w.default_screenshot_name(self.what.currentData())
        name = name.removesuffix(".png")
        name = "".join(c if c.isalnum() or c in "-_.=" else "-" for c in name)
        return folders.start_folder("figures") / f"{name}.gif"

    def refresh(self) -> None:
        """Before showing the dialog again: a file name for the current state; the
        last result is cleared."""
        self._set_default_output()
        self.progress.setValue(0)
        self.progress.setFormat("%p%")
        self._show("")

    def _set_default_output(self) -> None:
        """Propose a name for what is chosen, unless the user typed their own."""
        if self.output.text() in ("", self._auto_name):
            self._auto_name = str(self.default_output())
            self.output.setText(self._auto_name)

    def gif_path(self) -> Path | None:
        """The output file as typed, ending in ``.gif`` (None if empty)."""
        text = self.output.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        if path.suffix.lower() != ".gif":
            path = path.with_name(path.name + ".gif")
        return path

    def png_dir(self) -> Path | None:
        """``<stem>_frames`` next to the output file."""
        path = self.gif_path()
        return None if path is None else path.with_name(f"{path.stem}_frames")

    def _choose(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self,
            "Record animation",
            str(self.gif_path() or self.default_output()),
            "GIF animation (*.gif)",
        )
        if path:
            self.output.setText(path)

    def _update_summary(self) -> None:
        n = 1 + self.steps.value() // self.every.value()
        secs = n / self.fps.value()
        problem = ""
        if n > MAX_FRAMES:
            problem = (
                f"{n:,} frames: at most {MAX_FRAMES:,}. Record a frame every "
                f"{self.steps.value() // MAX_FRAMES + 1} steps or more."
            )
            self.frames_label.setText(f"<b>{problem}</b>")
        else:
            self.frames_label.setText(
                f"{n:,} frames, {secs:.1f} s at {self.fps.value()} fps"
            )
        if not (self.gif_box.isChecked() or self.png_box.isChecked()):
            problem = "Choose GIF, PNG sequence or both."
        elif self.gif_path() is None:
            problem = "Choose a file."
        folder = self.png_dir()
        show = self.png_box.isChecked() and folder is not None
        if folder is not None:
            self.png_label.setText(
                f"PNG frames: {folder / (self.gif_path().stem + '_0000.png')}, …"
            )
        if show != self.png_label.isVisibleTo(self):
            self.png_label.setVisible(show)
            QtCore.QTimer.singleShot(0, self._fit_height)  # after the layout
        self.record_button.setEnabled(not problem and not self.recording)
        self.record_button.setToolTip(problem)

    def _fit_height(self) -> None:
        """Grow (or shrink) to fit the PNG line, keeping the width."""
        hint = self.sizeHint().height()
        if self.height() != hint and self.isVisible():
            self.resize(self.width(), hint)

    # -- recording ----------------------------------------------------------------------
    def start(self) -> RecordingResult | None:
        """Record with the dialog's settings; returns the result (None on error)."""
        if self.recording:
            return None
        gif_path = self.gif_path()
        if gif_path is None:
            self._show("Choose a file to write.", error=True)
            return None
        png_dir = self.png_dir() if self.png_box.isChecked() else None
        if png_dir is not None and not self._clear_old_frames(png_dir, gif_path.stem):
            return None
        w = self.main_window
        if w.files.opening_session:
            self._show("Wait until the session has opened, then record.", error=True)
            return None
        what = self.what.currentData()
        self.recording, self._stop, self.result = True, False, None
        self._set_controls_enabled(False)
        self.progress.setValue(0)
        self._show("Recording…")
        try:
            with w.figures.figure(
                what,
                keep_theme=self.keep_theme.isChecked(),
                with_controls=self.with_controls.isChecked(),
            ) as widget:
                res = record(
                    widget,
                    w.session,
                    self.steps.value(),
                    self.every.value(),
                    gif_path=gif_path if self.gif_box.isChecked() else None,
                    png_dir=png_dir,
                    scale=self.scale.currentData(),
                    fps=self.fps.value(),
                    progress=self._on_progress,
                    cancel=lambda: self._stop,
                )
        except (OSError, ValueError) as e:
            self._show(f"Cannot record: {e}", error=True)
            return None
        except Exception as e:  # shown to the user, never a traceback
            self._show(f"Recording failed: {type(e).__name__}: {e}", error=True)
            return None
        finally:
            self.recording = False
            self._set_controls_enabled(True)
        self.result = res
        self._show(self.describe(res))
        w.statusBar().showMessage(self.describe(res), 10000)
        self._set_default_output()  # the step count in the name has changed
        return res

    def stop(self) -> None:
        """Stop after the current frame; what was recorded is kept."""
        if self.recording:
            self._stop = True
            self.stop_button.setEnabled(False)
            self._show("Stopping…")

    @staticmethod
    def describe(res: RecordingResult) -> str:
        """One sentence for the result label, e.g. 'Wrote 41 frames to ….'"""
        where = []
        if res.gif_path is not None:
            where.append(str(res.gif_path))
        if res.png_paths:
            where.append(f"{len(res.png_paths)} PNGs in {res.png_paths[0].parent}")
        size = f"{res.size[0]}×{res.size[1]} pixels"
        text = (
            f"Wrote {res.frames} frame{'s' if res.frames != 1 else ''} ({size}, "
            f"{res.steps:,} steps) to {' and '.join(where) or 'nothing'}."
        )
        if res.cancelled:
            text = "Stopped early. " + text
        if res.diverged:
            text = "Training diverged; recording stopped there. " + text
        return text

    def _clear_old_frames(self, folder: Path, stem: str) -> bool:
        """Frames of an earlier recording with the same name would mix with the new
        ones: offer to delete them. False if the user would rather not."""
        old = sorted(folder.glob(f"{stem}_[0-9][0-9][0-9][0-9].png"))
        if not old:
            return True
        answer = QtWidgets.QMessageBox.question(
            self,
            "Replace frames?",
            f"{folder} already holds {len(old)} frames named {stem}_0000.png, …\n"
            "Delete them and record new ones?",
            QtWidgets.QMessageBox.StandardButton.Yes
            | QtWidgets.QMessageBox.StandardButton.Cancel,
        )
        if answer != QtWidgets.QMessageBox.StandardButton.Yes:
            return False
        try:
            for p in old:
                p.unlink()
        except OSError as e:
            self._show(f"Cannot delete the old frames: {write_error(p, e)}", True)
            return False
        return True

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.progress.setFormat(f"{message} — %p%")

    def _set_controls_enabled(self, on: bool) -> None:
        for w in self._controls:
            w.setEnabled(on)
        self.close_button.setEnabled(on)
        self.stop_button.setEnabled(not on)
        if on:
            self._update_summary()
        else:
            self.record_button.setEnabled(False)

    def _show(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(
            "color: #B00020; font-weight: bold;" if error else ""
        )

    def reject(self) -> None:
        """Esc or Close: while recording, stop instead of closing."""
        if self.recording:
            self.stop()
            return
        super().reject()

    def closeEvent(self, event) -> None:
        if self.recording:
            self.stop()
            event.ignore()
            return
        super().closeEvent(event)
