"""Saving a training run to a JSON file and reproducing it exactly.

A session file records *how to make* the state, not the state itself: where the data
came from (a bundled dataset and its seed, or a CSV file with its SHA-256 and the
import choices), how it was prepared (standardization, validation split and seed), the
trainer's seed and starting settings, and every change of penalty, step size, rule,
batch size or jump to a solved optimum with the step at which it happened. Training is
deterministic for a seed, so replaying those steps gives the same weights bit for bit;
a fingerprint of the final weights confirms it. A ``view`` dictionary carries whatever
the window wants to restore (pane layout and the like); the engine does not read it.

Format (version 1)::

    {"format": "l1l2-explorer-session", "version": 1, "saved": "...",
     "dataset": {...}, "preparation": {...}, "training": {...}, "view": {...}}

A file that is not JSON, not a session, from a newer version, damaged, or whose CSV
is missing or changed raises :class:`SessionError` with the reason.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .data import DataError, Dataset, TrainingData, prepare
from .penalties import Penalty
from .settings import DataSource, RunSettings
from .trainer import Trainer

__all__ = [
    "FORMAT",
    "VERSION",
    "ReplayCancelled",
    "SessionError",
    "SessionRecord",
    "read",
    "restore",
    "restore_run",
    "start_settings",
    "write",
]

FORMAT = "l1l2-explorer-session"
VERSION = 1
MAX_EVENTS = 100_000


class SessionError(DataError):
    """A session file that cannot be opened; the message says why."""


def weights_fingerprint(w: np.ndarray, b: float) -> str:
    """SHA-256 of the weights' and intercept's exact bytes."""
    h = hashlib.sha256(np.ascontiguousarray(w, dtype=np.float64).tobytes())
    h.update(np.float64(b).tobytes())
    return h.hexdigest()


def _penalty_json(p: Penalty) -> dict:
    return {"kind": p.kind, "lam1": p.lam1, "lam2": p.lam2}


def _penalty_from(d) -> Penalty:
    return Penalty(d["kind"], lam1=float(d["lam1"]), lam2=float(d["lam2"]))


def _event_json(step, kind, value):
    if kind == "penalty":
        value = _penalty_json(value)
    elif kind == "state":
        w, b = value
        value = {"w": [float(x) for x in w], "b": float(b)}
    return [int(step), kind, value]


def _event_from(e):
    step, kind, value = e
    if kind == "penalty":
        value = _penalty_from(value)
    elif kind == "state":
        value = (np.array(value["w"], dtype=np.float64), float(value["b"]))
    elif kind == "lr":
        value = value if value == "auto" else float(value)
    elif kind == "batch":
        value = int(value)
    elif kind != "rule":
        raise SessionError(f"unknown event '{kind}'")
    return int(step), kind, value


@dataclass
class SessionRecord:
    """Everything a session file holds."""

    dataset: dict
    preparation: dict
    training: dict
    view: dict = field(default_factory=dict)
    saved: str = ""

    @classmethod
    def capture(cls, trainer: Trainer, data: TrainingData, view: dict | None = None):
        """The record of ``trainer``'s run on ``data`` since its last reset."""
        source = data.dataset.source
        if source is None:
            raise SessionError(
                "this dataset cannot be saved: it has no source to load it from again"
            )
        if len(trainer.events) > MAX_EVENTS:
            raise SessionError(
                f"too many parameter changes to save ({len(trainer.events)}"
                f" > {MAX_EVENTS}); reset the training first"
            )
        st = trainer.start_settings
        training = {
            "loss": trainer.loss.name,
            "seed": trainer.seed,
            "init": "random"
            if isinstance(trainer.init, str) and trainer.init == "random"
            else (
                "zeros"
                if isinstance(trainer.init, str)
                else [float(x) for x in trainer.init]
            ),
            "init_scale": trainer.init_scale,
            "start": {
                "penalty": _penalty_json(st["penalty"]),
                "lr": st["lr"],
                "rule": st["rule"],
                "batch": st["batch"],
            },
            "events": [_event_json(*e) for e in trainer.events],
            "steps": trainer.step_count,
            "weights_sha256": weights_fingerprint(trainer.w, trainer.b),
        }
        prep = {
            "standardize": data.standardized,
            "validation": data.validation,
            "split_seed": data.split_seed,
        }
        return cls(
            dict(source),
            prep,
            training,
            dict(view or {}),
            time.strftime("%Y-%m-%dT%H:%M:%S"),
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "version": VERSION,
                "saved": self.saved,
                "dataset": self.dataset,
                "preparation": self.preparation,
                "training": self.training,
                "view": self.view,
            },
            indent=1,
        )


def write(path, record: SessionRecord) -> None:
    """Write ``record`` to ``path``; OSError if it cannot be written."""
    text = record.to_json()
    tmp = Path(str(path) + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)  # never a half-written session file


def read(path) -> SessionRecord:
    """Parse and check a session file (it does not load any data yet)."""
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SessionError(f"{name}: the file does not exist") from None
    except UnicodeDecodeError:
        raise SessionError(f"{name}: not a session file (not text)") from None
    except OSError as e:
        raise SessionError(f"{name}: cannot be read: {e.strerror or e}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise SessionError(
            f"{name}: not a valid session file: broken or truncated JSON "
            f"at line {e.lineno}, column {e.colno}"
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SessionError(f"{name}: not an L1/L2 Explorer session file")
    version = doc.get("version")
    if not isinstance(version, int):
        raise SessionError(f"{name}: the session file has no valid version number")
    if version > VERSION:
        raise SessionError(
            f"{name}: written by a newer version of L1/L2 Explorer "
            f"(session format {version}); this version reads format "
            f"{VERSION}. Please update the app"
        )
    try:
        rec = SessionRecord(
            doc["dataset"],
            doc["preparation"],
            doc["training"],
            doc.get("view") or {},
            doc.get("saved", ""),
        )
        _check(rec)
    except (KeyError, TypeError, ValueError) as e:
        raise SessionError(
            f"{name}: the session file is damaged ({_what(e)})"
        ) from None
    return rec


def _what(e: Exception) -> str:
    if isinstance(e, KeyError):
        return f"missing {e.args[0]!r}"
    return str(e) or type(e).__name__


def _check(rec: SessionRecord) -> None:
    ds = rec.dataset
    if ds["kind"] not in ("bundled", "csv"):
        raise ValueError(f"unknown dataset kind {ds['kind']!r}")
    t = rec.training
    int(t["seed"]), int(t["steps"]), str(t["weights_sha256"])
    if t["loss"] not in ("squared", "logistic"):
        raise ValueError(f"unknown loss {t['loss']!r}")
    _penalty_from(t["start"]["penalty"])
    for e in t["events"]:
        _event_from(e)
    float(rec.preparation["validation"]), bool(rec.preparation["standardize"])


def load_dataset_of(rec: SessionRecord) -> Dataset:
    """Make the session's dataset again; SessionError if it cannot be (a CSV missing
    or changed since the session was saved)."""
    src = rec.dataset
    if src["kind"] == "bundled":
        from .datasets import load_dataset

        return load_dataset(src["name"], seed=int(src.get("seed", 0)))
    from .csv import (
        CSVError,
        CSVFormat,
        ImportChoices,
        build_dataset,
        file_sha256,
        load_table,
    )

    path = Path(src["path"])
    if not path.exists():
        raise SessionError(f"the session's CSV file is missing: {path}")
    try:
        if file_sha256(path) != src["sha256"]:
            raise SessionError(
                f"the session's CSV file has changed since the session "
                f"was saved (its contents differ): {path}"
            )
        fmt = CSVFormat(**src["format"])
        table = load_table(path, fmt, skip_bad_lines=bool(src.get("skip_bad_lines")))
        ch = src["choices"]
        choices = ImportChoices(
            ch["target"],
            tuple(ch["features"]) if ch["features"] is not None else None,
            tuple(ch["onehot"]),
            ch["missing"],
            ch["loss"],
        )
        ds, _ = build_dataset(table, choices)
    except CSVError as e:
        raise SessionError(
            f"the session's CSV file cannot be read again: {e}"
        ) from None
    return ds


class ReplayCancelled(Exception):
    """Replaying a session was cancelled."""


def start_settings(rec: SessionRecord) -> RunSettings:
    """The settings the session's run started with."""
    p, t = rec.preparation, rec.training
    st = t["start"]
    pen = _penalty_from(st["penalty"])
    return RunSettings(
        source=DataSource.of_dataset(rec.dataset),
        standardize=bool(p["standardize"]),
        validation=float(p["validation"]),
        split_seed=int(p.get("split_seed", 0)),
        loss=t["loss"],
        penalty=pen.kind,
        lam1=pen.lam1 if pen.kind in ("l1", "elasticnet") else None,
        lam2=pen.lam2 if pen.kind in ("l2", "elasticnet") else None,
        rule=st["rule"],
        lr=st["lr"] if st["lr"] == "auto" else float(st["lr"]),
        seed=int(t["seed"]),
    )


def restore_run(rec: SessionRecord, progress=None, cancel=None):
    """Replay the session: ``(run, exact)``, ``run`` an ``engine.run.Run`` whose
    settings are the ones in force at the end; see :func:`restore`."""
    from .run import Run, following
    from .settings import resolve

    ds, data, tr, exact = restore(rec, progress, cancel)
    settings = following(resolve(start_settings(rec), data), tr)
    return Run(settings, ds, data, tr, tuple(data.notes)), exact


def restore(rec: SessionRecord, progress=None, cancel=None):
    """Replay the session: ``(dataset, data, trainer, exact)``; ``exact`` says whether
    the weights match the saved fingerprint bit for bit. ``cancel()`` returning True
    stops with :class:`ReplayCancelled`."""
    ds = load_dataset_of(rec)
    p = rec.preparation
    data = prepare(
        ds,
        standardize=bool(p["standardize"]),
        validation=float(p["validation"]),
        seed=int(p.get("split_seed", 0)),
    )
    t = rec.training
    st = t["start"]
    init = t.get("init", "random")
    tr = Trainer(
        data,
        loss=t["loss"],
        penalty=_penalty_from(st["penalty"]),
        lr=st["lr"],
        rule=st["rule"],
        batch_size=int(st["batch"]),
        seed=int(t["seed"]),
        init=init if isinstance(init, str) else np.array(init),
        init_scale=float(t.get("init_scale", 1.0)),
    )
    events = [_event_from(e) for e in t["events"]]
    total = max(int(t["steps"]), 1)

    def advance(to: int) -> None:
        while tr.step_count < to:
            done = tr.step(min(to - tr.step_count, 2000))
            if cancel is not None and cancel():
                raise ReplayCancelled()
            if progress is not None:
                progress(tr.step_count / total, f"step {tr.step_count:,} of {total:,}")
            if done == 0:  # diverged, as the original did: the next event continues
                return

    for step, kind, value in events:
        advance(step)
        {
            "penalty": tr.set_penalty,
            "lr": tr.set_lr,
            "rule": tr.set_rule,
            "batch": tr.set_batch_size,
            "state": lambda v: tr.set_state(*v),
        }[kind](value)
    advance(int(t["steps"]))
    exact = weights_fingerprint(tr.w, tr.b) == t["weights_sha256"]
    return ds, data, tr, exact
