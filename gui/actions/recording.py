"""Recording a training run as an animation: an animated GIF and/or numbered PNGs.

Training continues from the current state (no reset); every ``every`` steps the chosen
widget (the whole window or one pane) is rendered at 1× or 2× with
:func:`gui.export.render_pixmap`, the same sharp rendering as a PNG export.

Why Pillow: Qt can *read* GIFs but has no GIF writer (``QImageWriter`` lists no
``gif`` format and ``QMovie`` only plays), so the frames are handed to Pillow. Each
frame is converted from the ``QImage`` through its bytes (RGB888, rows padded to
``bytesPerLine``), reduced to a palette of its 256 most frequent colours, kept
exact (see :func:`_quantize`; Pillow's averaging quantizers shift flat colours
differently from frame to frame), and written to the file at once with Pillow's documented frame-level GIF functions
(``GifImagePlugin.getheader`` / ``getdata``). Only the rectangle that changed since
the previous frame is stored, so files stay small; and since nothing is kept but the
previous frame, memory does not grow with the number of frames (``Image.save`` with
``save_all=True`` holds every frame until the end and merges identical frames, which
would make a 1000-frame whole-window recording take gigabytes and change the frame
count).

Recording runs in the GUI thread, because widgets can only be rendered there; the
event loop runs between frames so the window stays responsive and a Stop button can
cancel (see :class:`gui.dialogs.record_dialog.RecordDialog`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import GifImagePlugin, Image, ImageChops
from PySide6 import QtCore, QtGui, QtWidgets

from engine.atomic import replacing
from gui.export import render_pixmap
from gui.panes import refresh_panes

__all__ = [
    "MAX_FPS",
    "MAX_FRAMES",
    "RecordingResult",
    "record",
    "to_pil",
    "write_error",
]

#: At most this many frames per recording (``ValueError`` beyond).
MAX_FRAMES = 1000
#: GIF frame delays are whole hundredths of a second, and browsers slow down delays
#: shorter than 2/100 s, so 50 frames per second is the fastest GIF that plays right.
MAX_FPS = 50


@dataclass
class RecordingResult:
    """What :func:`record` wrote.

    Attributes
    ----------
    frames : int
        Frames recorded (written to the GIF and to ``png_paths``).
    gif_path : pathlib.Path or None
        The animated GIF, or None if none was asked for (or no frame was recorded).
    png_paths : list of pathlib.Path
        The PNG frames in order (empty if no PNG sequence was asked for).
    cancelled : bool
        True if stopped by ``cancel`` (or because the session's run was replaced)
        before the last frame.
    size : tuple of int
        (width, height) of every frame in pixels.
    steps : int
        Training steps taken during the recording.
    diverged : bool
        True if training diverged: the recording stopped there, with a last frame of
        the diverged state.
    """

    frames: int
    gif_path: Path | None
    png_paths: list[Path] = field(default_factory=list)
    cancelled: bool = False
    size: tuple[int, int] = (0, 0)
    steps: int = 0
    diverged: bool = False


def to_pil(image: QtGui.QImage) -> Image.Image:
    """A Pillow RGB image with a copy of ``image``'s pixels.

    Rows of a ``QImage`` are padded to a multiple of 4 bytes, so the stride is
    ``bytesPerLine``, not ``3 * width``.
    """
    rgb = image.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    size = (rgb.width(), rgb.height())
    data = rgb.constBits()  # a memoryview of rgb's pixels, valid while rgb lives
    return Image.frombytes("RGB", size, data, "raw", "RGB", rgb.bytesPerLine())


def _quantize(im: Image.Image) -> Image.Image:
    """``im`` with 256 colours, its flat colours kept exact.

    A plot has a few flat colours (background, bars, text) and many rare shades
    (anti-aliasing, shaded regions). Pillow's quantizers average the flat colours by
    a unit or two (and its palette lookup cannot tell 252 from 255), differently in
    each frame, which shows as faint rectangles where a later frame stored only what
    changed. So the palette is the colours covering at least 0.05% of the pixels
    (at most 128), exact, plus an octree palette for the rest, and every colour is
    mapped to its nearest palette entry here, without dithering.
    """
    a = np.asarray(im.convert("RGB"))
    packed = (a[..., 0].astype(np.int32) << 16) | (a[..., 1].astype(np.int32) << 8)
    packed |= a[..., 2]
    colours, inverse, counts = np.unique(
        packed.ravel(), return_inverse=True, return_counts=True
    )
    rgb = np.stack([colours >> 16, (colours >> 8) & 255, colours & 255], axis=1)
    order = np.argsort(-counts, kind="stable")
    if len(colours) <= 256:
        palette = rgb[order]
    else:
        flat = order[counts[order] >= 0.0005 * packed.size][:128]
        rest = im.quantize(colors=256 - len(flat), method=Image.Quantize.FASTOCTREE)
        extra = np.array(rest.getpalette()[: 3 * (256 - len(flat))]).reshape(-1, 3)
        palette = np.concatenate([rgb[flat], extra])
    lut = np.empty(len(colours), dtype=np.uint8)
    for i in range(0, len(colours), 4096):  # nearest entry, a block at a time
        d = ((rgb[i : i + 4096, None, :] - palette[None, :, :]) ** 2).sum(axis=2)
        lut[i : i + 4096] = d.argmin(axis=1)
    out = Image.frombytes("P", im.size, lut[inverse].tobytes())
    out.putpalette(palette.astype(np.uint8).ravel().tolist())
    return out


def write_error(path, e: OSError) -> OSError:
    """``e`` again, saying which file (and without the ``[Errno n]`` prefix)."""
    err = OSError(f"cannot write {path}: {e.strerror or e or type(e).__name__}")
    err.errno = e.errno
    return err


class _GifWriter:
    """An animated GIF written frame by frame (to ``<name>.part``, renamed at the end
    so an existing file is only replaced by a complete one)."""

    def __init__(self, path: Path, delay_cs: int):
        self.path = path
        self.part = path.with_name(path.name + ".part")
        self.delay_ms = 10 * delay_cs
        self.previous: Image.Image | None = None
        try:
            self.fp = open(self.part, "wb")  # noqa: SIM115 - closed in finish/abort
        except OSError as e:
            raise write_error(path, e) from e

    def add(self, frame: Image.Image) -> None:
        info = {"duration": self.delay_ms, "disposal": 1}  # 1: keep, draw over it
        if self.previous is None:
            im = _quantize(frame)
            header, _ = GifImagePlugin.getheader(im, info={"loop": 0, **info})
            chunks = [*header, *GifImagePlugin.getdata(im, **info)]
        else:
            # only what changed; an unchanged frame still counts (1 pixel, its delay)
            box = ImageChops.difference(self.previous, frame).getbbox() or (0, 0, 1, 1)
            im = _quantize(frame.crop(box))
            chunks = GifImagePlugin.getdata(
                im, offset=box[:2], include_color_table=True, **info
            )
        try:
            for chunk in chunks:
                self.fp.write(chunk)
        except OSError as e:
            raise write_error(self.path, e) from e
        self.previous = frame

    def finish(self) -> None:
        try:
            self.fp.write(b";")  # the GIF trailer
            self.fp.close()
            os.replace(self.part, self.path)
        except OSError as e:
            self.abort()
            raise write_error(self.path, e) from e

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self.fp.close()
        with contextlib.suppress(OSError):
            self.part.unlink()


def record(
    widget: QtWidgets.QWidget,
    session,
    steps: int,
    every: int,
    *,
    gif_path=None,
    png_dir=None,
    scale: float = 1.0,
    fps: float = 12,
    progress: Callable[[float, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> RecordingResult:
    """Train ``steps`` more steps and record ``widget`` every ``every`` steps.

    Continues from the current state (no reset) with the session paused. The first
    frame shows the state before the first step, so a full recording has
    ``1 + steps // every`` frames. Frames are written as they are rendered.

    Parameters
    ----------
    widget : QtWidgets.QWidget
        What to record: the main window or one of its panes. It keeps its on-screen
        size; every frame is ``scale`` × that size.
    session : gui.session.TrainingSession
        The session whose trainer advances.
    steps : int
        Training steps to take (at least 1).
    every : int
        Steps between frames (at least 1).
    gif_path : str or os.PathLike, optional
        Write an animated GIF (looping forever) here; its folder must exist. The file
        is written as ``<name>.part`` and renamed when complete, so an existing file
        is never left half-overwritten.
    png_dir : str or os.PathLike, optional
        Write the frames as ``<stem>_0000.png``, ``<stem>_0001.png``, ... into this
        folder (created if missing), where ``<stem>`` is the GIF's name without
        ``.gif``, or ``frame``.
    scale : float
        Pixels per point: 1 for the screen's size, 2 for sharp slides.
    fps : float
        Frames per second of the GIF (at most 50; GIF delays are whole 1/100 s).
    progress : callable, optional
        ``progress(fraction, message)``, called after every frame.
    cancel : callable, optional
        Called before each further block of steps; returning True stops the
        recording. Frames written so far stay, and the GIF is completed with them.

    Returns
    -------
    RecordingResult
        The frames written, their size, and whether the recording was cancelled or
        stopped by a divergence.

    Raises
    ------
    ValueError
        Nothing to write, no dataset, a solve running, a bad ``steps``, ``every`` or
        ``fps``, or more than :data:`MAX_FRAMES` frames.
    OSError
        A file cannot be written (the message names it). Checked before the first
        step: the GIF file is opened and the first frame written before training
        advances. An incomplete GIF is removed; PNGs already written stay.

    Notes
    -----
    The trainer advances ``every`` steps at a time (``session.step(every)``), which
    takes exactly the same steps as ``every`` single steps (the trainer records each
    one in its history) but redraws the panes once per frame instead of once per step.
    Steps after the last full block (``steps % every``) are taken without a frame.
    Before every frame the panes in ``widget`` are redrawn through their
    ``refresh_now`` (:func:`gui.panes.refresh_panes`), so a throttled pane shows
    that frame's state, not the one of 100 ms before. The frame delay is ``100 / fps`` rounded
    to whole hundredths of a second (12 fps plays at 12.5).
    """
    if gif_path is None and png_dir is None:
        raise ValueError("nothing to write: give a GIF file and/or a PNG folder")
    steps, every = int(steps), int(every)
    if steps < 1 or every < 1:
        raise ValueError(f"steps ({steps}) and every ({every}) must be at least 1")
    n_frames = 1 + steps // every
    if n_frames > MAX_FRAMES:
        raise ValueError(
            f"{steps:,} steps with a frame every {every} would make {n_frames:,} "
            f"frames; at most {MAX_FRAMES:,} are allowed. Record a frame every "
            f"{steps // MAX_FRAMES + 1} steps or more."
        )
    if not 0 < fps <= MAX_FPS:
        raise ValueError(f"frames per second must be above 0 and at most {MAX_FPS}")
    trainer = session.trainer
    if trainer is None:
        raise ValueError("no dataset is loaded")
    if session.solving:
        raise ValueError("wait until solving to convergence has finished")
    if trainer.divergence is not None:
        raise ValueError("training has diverged: use η = 1/L or reset before recording")

    gif_path = None if gif_path is None else Path(gif_path)
    stem = gif_path.stem if gif_path is not None else "frame"
    png_dir = None if png_dir is None else Path(png_dir)
    delay_cs = max(2, round(100 / fps))
    app = QtWidgets.QApplication.instance()
    result = RecordingResult(0, None, size=(0, 0))
    gif: _GifWriter | None = None

    def capture() -> bool:
        """Render and write one frame; False (nothing written) if the session's run
        was replaced meanwhile (e.g. a session file finished opening)."""
        refresh_panes(widget)  # throttled panes draw this frame's state
        app.processEvents()  # pending layout and repaints; the Stop button
        if session.trainer is not trainer:
            return False
        image = render_pixmap(widget, scale).toImage()
        if result.frames == 0:
            result.size = (image.width(), image.height())
        elif (image.width(), image.height()) != result.size:  # resized meanwhile
            image = image.scaled(
                *result.size,
                QtCore.Qt.AspectRatioMode.IgnoreAspectRatio,
                QtCore.Qt.TransformationMode.SmoothTransformation,
            )
        frame = to_pil(image)
        if png_dir is not None:
            path = png_dir / f"{stem}_{result.frames:04d}.png"
            with replacing(path) as tmp:
                frame.save(tmp, "PNG")
            result.png_paths.append(path)
        if gif is not None:
            gif.add(frame)
        result.frames += 1
        if progress is not None:
            progress(
                min(result.frames / n_frames, 1.0),
                f"frame {result.frames} of {n_frames}, step {trainer.step_count:,}",
            )
        return True

    session.pause()
    try:
        if gif_path is not None:
            gif = _GifWriter(gif_path, delay_cs)  # its folder must exist
        if png_dir is not None:
            try:
                png_dir.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise write_error(png_dir, e) from e
        capture()
        while result.steps < steps:
            if (cancel is not None and cancel()) or session.trainer is not trainer:
                result.cancelled = True
                break
            n = min(every, steps - result.steps)
            session.pause()  # in case something started the timer between frames
            done = session.step(n)
            result.steps += done
            if done < n:  # diverged (show where) or the session refused; stop
                result.diverged = trainer.divergence is not None
                result.cancelled = not result.diverged
                if done or result.diverged:
                    capture()
                break
            if n == every:
                capture()
        if result.frames == 0:  # replaced before the first frame: no file
            result.cancelled = True
            if gif is not None:
                gif.abort()
        elif gif is not None:
            gif.finish()
            result.gif_path = gif_path
    except BaseException:
        if gif is not None:
            gif.abort()
        raise
    return result
