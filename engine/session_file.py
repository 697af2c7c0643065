"""Saving a training run to a JSON file and reproducing it exactly.

A session file records *how to make* the state, not the state itself: the run's
settings at its seeded start (:meth:`engine.settings.RunSettings.to_dict`: where the data
came from, a bundled dataset and its seed or a CSV file with its SHA-256 and the import
choices; its preparation; loss, penalty, step size, rule, batch size and seed), and
every change of penalty, step size, rule, batch size or jump to a solved optimum with the
step at which it happened. Opening it builds the run from those settings the way every
entry point does (:func:`engine.run.start_run`) and replays the changes. Training is
deterministic for a seed, so this gives the same weights bit for bit; a fingerprint of
the final weights confirms it. A ``view`` dictionary carries whatever the window wants
to restore (pane layout and the like); the engine does not read it.

Format (version 2; version 1, which stored the settings piece by piece, is read too)::

    {"format": "l1l2-explorer-session", "version": 2, "saved": "...",
     "settings": {...}, "training": {"events": [...], "steps": N,
     "weights_sha256": "..."}, "view": {...}}

A file that is not JSON, not a session, from a newer version, damaged, or whose CSV
is missing or changed raises :class:`SessionError` with the reason.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .atomic import write_text
from .data import DataError, Dataset, TrainingData
from .penalties import Penalty
from .settings import MAX_STEPS, RULES, DataSource, RunSettings, strength_changes
from .trainer import Trainer

__all__ = [
    "FORMAT",
    "VERSION",
    "MissingCSV",
    "ReplayCancelled",
    "SessionError",
    "SessionRecord",
    "read",
    "restore",
    "write",
]

FORMAT = "l1l2-explorer-session"
VERSION = 2
MAX_EVENTS = 100_000
#: A session file larger than this (bytes) is refused unread: MAX_EVENTS changes
#: and a view take a few MB at most.
MAX_FILE_BYTES = 32_000_000


class SessionError(DataError):
    """A session file that cannot be opened; the message says why."""


class MissingCSV(SessionError):
    """The session's CSV file is not where the session says; ``path`` is where it
    was looked for. :meth:`SessionRecord.with_csv` points the session elsewhere."""

    def __init__(self, path: Path):
        super().__init__(f"the session's CSV file is missing: {path}")
        self.path = path


def weights_fingerprint(w: np.ndarray, b: float) -> str:
    """SHA-256 of the weights' and intercept's exact bytes."""
    h = hashlib.sha256(np.ascontiguousarray(w, dtype=np.float64).tobytes())
    h.update(np.float64(b).tobytes())
    return h.hexdigest()


def _penalty_json(p: Penalty) -> dict:
    out = {"kind": p.kind, "lam1": p.lam1, "lam2": p.lam2}
    if p.gamma is not None:
        out["gamma"] = p.gamma
    return out


def _penalty_from(d) -> Penalty:
    lam1, lam2 = d["lam1"], d["lam2"]
    for v in (lam1, lam2):
        if isinstance(v, bool) or not isinstance(v, int | float) or not np.isfinite(v):
            raise ValueError(f"a penalty strength must be a number, got {v!r}")
    gamma = d.get("gamma")
    if gamma is not None and (
        isinstance(gamma, bool) or not isinstance(gamma, int | float)
    ):
        raise ValueError(f"a penalty's γ must be a number, got {gamma!r}")
    return Penalty(d["kind"], lam1=float(lam1), lam2=float(lam2), gamma=gamma)


def _event_json(step, kind, value):
    if kind == "penalty":
        value = _penalty_json(value)
    elif kind == "state":
        w, b = value
        value = {"w": [float(x) for x in w], "b": float(b)}
    return [int(step), kind, value]


def _event_from(e):
    """One saved change, checked: ValueError naming what is wrong."""
    if not isinstance(e, list) or len(e) != 3:
        raise ValueError("a change is not [step, kind, value]")
    step, kind, value = e
    step = _whole(step, "a change's step")
    if kind == "penalty":
        if not isinstance(value, dict):
            raise ValueError("a penalty change is not a table")
        value = _penalty_from(value)
    elif kind == "state":
        if not isinstance(value, dict) or not isinstance(value.get("w"), list):
            raise ValueError("a jump to solved weights has no weights")
        w = np.array(value["w"], dtype=np.float64)
        b = float(value["b"])
        if w.ndim != 1 or not (np.isfinite(w).all() and np.isfinite(b)):
            raise ValueError(
                "a jump to solved weights has weights that are not numbers"
            )
        value = (w, b)
    elif kind == "lr":
        if value != "auto" and not (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and np.isfinite(value)
            and value > 0
        ):
            raise ValueError(
                f"a step size must be 'auto' or a number > 0, got {value!r}"
            )
        value = value if value == "auto" else float(value)
    elif kind == "batch":
        value = _whole(value, "a batch size")
        if value < 1:
            raise ValueError("a batch size must be at least 1")
    elif kind == "rule":
        if value not in RULES:
            raise ValueError(f"unknown update rule {value!r}")
    else:
        raise ValueError(f"unknown change {kind!r}")
    return step, kind, value


@dataclass
class SessionRecord:
    """Everything a session file holds.

    ``settings`` are the run's settings at its seeded start (step 0, no solve asked
    for); ``events`` the changes made since, ``(step, kind, value)`` in order, kinds
    'penalty', 'lr', 'rule', 'batch' and 'state' (a jump to solved weights);
    ``steps`` the step count at saving and ``weights_sha256`` the fingerprint of the
    weights then.
    """

    settings: RunSettings
    events: list = field(default_factory=list)
    steps: int = 0
    weights_sha256: str = ""
    view: dict = field(default_factory=dict)
    saved: str = ""

    @classmethod
    def capture(
        cls,
        settings: RunSettings,
        trainer: Trainer,
        data: TrainingData,
        view: dict | None = None,
    ) -> SessionRecord:
        """The record of the run ``settings`` define, as ``trainer`` has trained it on
        ``data`` since its last reset."""
        source = data.dataset.source
        if source is None:
            raise SessionError(
                "this dataset cannot be saved: it has no source to load it from again"
            )
        source = _with_digest(source)
        if len(trainer.events) > MAX_EVENTS:
            raise SessionError(
                f"too many parameter changes to save ({len(trainer.events)}"
                f" > {MAX_EVENTS}); reset the training first"
            )
        st = trainer.start_settings
        start = settings.replace(
            source=DataSource.of_dataset(source, data.dataset.name),
            standardize=data.standardized,
            validation=data.validation,
            split_seed=data.split_seed,
            loss=trainer.loss.name,
            seed=trainer.seed,
            steps=0,
            solve=False,
            **_start_changes(st, data.n_samples),
        )
        return cls(
            start,
            list(trainer.events),
            trainer.step_count,
            weights_fingerprint(trainer.w, trainer.b),
            dict(view or {}),
            time.strftime("%Y-%m-%dT%H:%M:%S"),
        )

    def with_csv(self, path) -> SessionRecord:
        """The same session reading its CSV file from ``path`` (a file moved or
        renamed; it must still have the saved SHA-256)."""
        src = self.settings.source
        if src.kind != "csv":
            raise SessionError("this session's data is not a CSV file")
        path = str(Path(path).resolve())
        moved = DataSource.of_dataset({**src.spec, "path": path})
        return dataclasses.replace(self, settings=self.settings.replace(source=moved))

    def to_json(self, folder: Path | None = None) -> str:
        """The file's text; ``folder``, the session file's folder, lets it keep the
        CSV file's path relative to it as well (a session moved with its CSV
        opens)."""
        settings = self.settings.to_dict()
        src = settings["source"]
        if src["kind"] == "csv" and folder is not None:
            try:
                rel = os.path.relpath(src["spec"]["path"], folder)
            except ValueError:  # another drive (Windows)
                rel = None
            src["spec"] = {**src["spec"], "relative_path": rel}
        return json.dumps(
            {
                "format": FORMAT,
                "version": VERSION,
                "saved": self.saved,
                "settings": settings,
                "training": {
                    "events": [_event_json(*e) for e in self.events],
                    "steps": self.steps,
                    "weights_sha256": self.weights_sha256,
                },
                "view": self.view,
            },
            indent=1,
        )


def _with_digest(source: dict) -> dict:
    """``source`` with its CSV file's SHA-256 as text: a file pandas read on every
    core is hashed now (:class:`~engine.csv.digest.FileDigest`), if it has not
    changed since it was read (SessionError otherwise)."""
    digest = source.get("sha256")
    if source.get("kind") != "csv" or isinstance(digest, str):
        return source
    from .csv import CSVError

    try:
        return {**source, "sha256": digest.hexdigest()}
    except CSVError as e:
        raise SessionError(f"the session cannot record its CSV file: {e}") from None


def _start_changes(st: dict, n_samples: int) -> dict:
    """The settings of a trainer's start (its ``start_settings``)."""
    pen = st["penalty"]
    changes = {
        "penalty": pen.kind,
        "lr": st["lr"],
        "rule": st["rule"],
        "batch": None if st["batch"] >= n_samples else int(st["batch"]),
    }
    changes.update(strength_changes(pen))
    return changes


def write(path, record: SessionRecord) -> None:
    """Write ``record`` to ``path`` whole or not at all (a failed write leaves an
    older file intact); OSError naming ``path`` and why."""
    path = Path(path)
    write_text(path, record.to_json(path.resolve().parent))


def read(path) -> SessionRecord:
    """Parse and check a session file (it does not load any data yet)."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SessionError(
                f"{name}: too large for a session file ({size / 1e6:,.0f} MB; "
                f"at most {MAX_FILE_BYTES / 1e6:,.0f} MB)"
            )
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
    except RecursionError:
        raise SessionError(
            f"{name}: not a valid session file: nested too deeply"
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SessionError(f"{name}: not an L1/L2 Explorer session file")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise SessionError(f"{name}: the session file has no valid version number")
    if version < 1:
        raise SessionError(f"{name}: the session file has no valid version number")
    if version > VERSION:
        raise SessionError(
            f"{name}: written by a newer version of L1/L2 Explorer "
            f"(session format {version}); this version reads format "
            f"{VERSION}. Please update the app"
        )
    try:
        settings = (
            _settings_v1(doc)
            if version == 1
            else RunSettings.from_dict(doc["settings"])
        )
        t = doc["training"]
        view = doc.get("view") or {}
        if not isinstance(view, dict):
            raise ValueError("the view entry is not a table")
        rec = SessionRecord(
            settings,
            [_event_from(e) for e in t["events"]],
            _whole(t["steps"], "steps"),
            str(t["weights_sha256"]),
            view,
            str(doc.get("saved", "")),
        )
        _check(rec)
    except (KeyError, TypeError, ValueError, IndexError) as e:
        raise SessionError(
            f"{name}: the session file is damaged ({_what(e)})"
        ) from None
    return _beside(rec, path.resolve().parent)


def _beside(rec: SessionRecord, folder: Path) -> SessionRecord:
    """A session whose CSV is no longer at its saved path but at the same place
    relative to the session file (both moved together) reads it from there."""
    src = rec.settings.source
    if src.kind != "csv" or Path(src.spec["path"]).exists():
        return rec
    rel = src.spec.get("relative_path")
    if isinstance(rel, str) and (folder / rel).is_file():
        return rec.with_csv(folder / rel)
    return rec


def _what(e: Exception) -> str:
    if isinstance(e, KeyError):
        return f"missing {e.args[0]!r}"
    return str(e) or type(e).__name__


def _whole(v, what: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_STEPS:
        raise ValueError(
            f"{what} must be a whole number in [0, {MAX_STEPS:,}], got {v!r}"
        )
    return v


def _check(rec: SessionRecord) -> None:
    src = rec.settings.source
    if src.kind == "csv":
        if src.spec is None:
            raise ValueError("the CSV file's import record is missing")
        for key in ("path", "sha256"):
            if not isinstance(src.spec.get(key), str):
                raise ValueError(f"the CSV file's import record has no {key}")
        _check_csv_format(src.spec.get("format"))
        _check_csv_choices(src.spec.get("choices"))
    if rec.settings.loss not in ("squared", "logistic"):
        raise ValueError(f"unknown loss {rec.settings.loss!r}")
    if len(rec.events) > MAX_EVENTS:
        raise ValueError(f"{len(rec.events):,} changes (at most {MAX_EVENTS:,})")
    last = 0
    for step, _, _ in rec.events:
        if not last <= step <= rec.steps:
            raise ValueError(
                f"a change at step {step:,} is out of order (the run has {rec.steps:,} steps)"
            )
        last = step


#: Most lines a CSV format may skip above its header (a damaged number would read
#: the file line by line into memory).
MAX_SKIP = 10_000


def _check_csv_format(fmt) -> None:
    """The CSV's format as saved (``engine.csv.CSVFormat`` fields), every entry
    checked: a damaged one is refused here, not met while reading the file."""
    import codecs

    from .csv import DELIMITER_NAMES, WHITESPACE

    if not isinstance(fmt, dict):
        raise ValueError("the CSV file's format is not a table")
    unknown = set(fmt) - {
        "delimiter",
        "decimal",
        "encoding",
        "header",
        "skip",
        "counts",
    }
    if unknown:
        raise ValueError(f"unknown CSV format entries {sorted(unknown)}")
    delim = fmt.get("delimiter", ",")
    if (
        not isinstance(delim, str)
        or not (delim in DELIMITER_NAMES or delim == WHITESPACE or len(delim) == 1)
        or delim in ("\n", "\r", '"', "\x00")
    ):
        raise ValueError(f"the CSV delimiter {delim!r} is not one the app reads")
    if fmt.get("decimal", ".") not in (".", ","):
        raise ValueError(f"the CSV decimal mark {fmt.get('decimal')!r} is not . or ,")
    enc = fmt.get("encoding", "utf-8")
    if not isinstance(enc, str) or not enc or "\x00" in enc:
        raise ValueError(f"the CSV encoding {enc!r} is not a name")
    try:
        codecs.lookup(enc)
    except LookupError:
        raise ValueError(f"unknown CSV encoding {enc!r}") from None
    for key in ("header", "counts"):
        if not isinstance(fmt.get(key, False), bool):
            raise ValueError(f"the CSV format's {key} must be true or false")
    skip = fmt.get("skip", 0)
    if isinstance(skip, bool) or not isinstance(skip, int) or not 0 <= skip <= MAX_SKIP:
        raise ValueError(
            f"the CSV format's skip must be a whole number in [0, {MAX_SKIP:,}], "
            f"got {skip!r}"
        )


def _check_csv_choices(ch) -> None:
    """The import choices as saved (``engine.csv.ImportChoices`` fields)."""

    def names(v) -> bool:
        return isinstance(v, list) and all(isinstance(x, str) for x in v)

    if not isinstance(ch, dict):
        raise ValueError("the CSV file's import choices are not a table")
    if not isinstance(ch.get("target"), str):
        raise ValueError("the CSV import choices name no target column")
    if not (ch.get("features") is None or names(ch.get("features"))):
        raise ValueError("the CSV import choices' features are not a list of names")
    if not names(ch.get("onehot", [])):
        raise ValueError("the CSV import choices' one-hot columns are not names")
    if ch.get("missing", "drop") not in ("drop", "mean"):
        raise ValueError(f"unknown choice for missing values {ch.get('missing')!r}")
    if ch.get("loss", "auto") not in ("auto", "squared", "logistic"):
        raise ValueError(f"unknown loss {ch.get('loss')!r} in the import choices")
    pc = ch.get("positive_class")
    if pc is not None and not isinstance(pc, str):
        raise ValueError("the CSV import choices' positive class is not a name")


def _settings_v1(doc: dict) -> RunSettings:
    """The start settings of a format-1 file (which stored them piece by piece)."""
    p, t = doc["preparation"], doc["training"]
    st = t["start"]
    init, scale = t.get("init", "random"), t.get("init_scale", 1.0)
    if init != "random":
        raise ValueError(f"init {init!r}: only the seeded random start is supported")
    if isinstance(scale, bool) or scale != 1.0:
        # 1e308 would put infinite weights in the window; only 1 was ever written
        raise ValueError(f"init_scale {scale!r}: only 1 is supported")
    pen = _penalty_from(st["penalty"])
    changes = _start_changes({**st, "penalty": pen}, n_samples=2**63)
    return RunSettings(
        source=DataSource.of_dataset(doc["dataset"]),
        standardize=bool(p["standardize"]),
        validation=float(p["validation"]),
        split_seed=int(p.get("split_seed", 0)),
        loss=t["loss"],
        seed=int(t["seed"]),
        **{**changes, "batch": int(st["batch"])},
    )


def load_dataset_of(source: DataSource, cancel=None) -> Dataset:
    """Make a session's dataset again; SessionError if it cannot be (a CSV missing
    or changed since the session was saved, or since it was read for a source
    that has not been saved). The SHA-256 is computed while the file is read, or
    after it for a big file pandas reads on every core. ``cancel()`` returning
    True stops the reading (and the hashing) with :class:`ReplayCancelled`."""
    if source.kind == "bundled":
        from .datasets import load_dataset

        try:
            return load_dataset(source.name, seed=source.seed, degree=source.degree)
        except (KeyError, ValueError) as e:
            raise SessionError(f"the session's dataset cannot be made: {e}") from None
    from .csv import (
        CSVCancelled,
        CSVError,
        CSVFormat,
        ImportChoices,
        build_dataset,
        file_sha256,
        load_table,
    )

    src = source.spec
    path = Path(src["path"])
    if not path.exists():
        raise MissingCSV(path)
    saved = src["sha256"]
    if not isinstance(saved, str):  # a source not saved: the digest of its own read
        try:
            saved = saved.hexdigest(cancel)
        except CSVCancelled:
            raise ReplayCancelled() from None
        except CSVError as e:
            raise SessionError(str(e)) from None
    changed = SessionError(
        "the session's CSV file has changed since the session "
        f"was saved (its contents differ): {path}"
    )
    try:
        fmt = CSVFormat(**src["format"])
        try:
            table = load_table(
                path, fmt, skip_bad_lines=bool(src.get("skip_bad_lines")), cancel=cancel
            )
        except CSVCancelled:
            raise ReplayCancelled() from None
        except CSVError:
            try:  # read again only to explain it
                digest = file_sha256(path, cancel)
            except CSVCancelled:
                raise ReplayCancelled() from None
            if digest != saved:
                raise changed from None
            raise
        try:  # taken now if the file was read by pandas on every core
            digest = table.digest.hexdigest(cancel)
        except CSVCancelled:
            raise ReplayCancelled() from None
        if digest != saved:
            raise changed
        ch = src["choices"]
        choices = ImportChoices(
            ch["target"],
            tuple(ch["features"]) if ch["features"] is not None else None,
            tuple(ch["onehot"]),
            ch["missing"],
            ch["loss"],
            ch.get("positive_class"),  # (not in files of before it existed)
        )
        ds, _ = build_dataset(table, choices)
    except CSVError as e:
        raise SessionError(
            f"the session's CSV file cannot be read again: {e}"
        ) from None
    except (KeyError, TypeError) as e:
        raise SessionError(
            f"the session's CSV import record is damaged ({_what(e)})"
        ) from None
    return ds


class ReplayCancelled(Exception):
    """Replaying a session was cancelled."""


def restore(rec: SessionRecord, progress=None, cancel=None):
    """Replay the session: ``(run, exact)``, ``run`` an :class:`engine.run.Run` whose
    settings are the ones in force at the end, ``exact`` whether the weights match the
    saved fingerprint bit for bit. ``cancel()`` returning True stops with
    :class:`ReplayCancelled`."""
    from .run import following, start_run

    run = start_run(rec.settings, load_dataset_of(rec.settings.source, cancel))
    tr = run.trainer
    total = max(rec.steps, 1)

    def advance(to: int) -> None:
        while tr.step_count < to:
            done = tr.step(min(to - tr.step_count, 2000))
            if cancel is not None and cancel():
                raise ReplayCancelled()
            if progress is not None:
                progress(tr.step_count / total, f"step {tr.step_count:,} of {total:,}")
            if done == 0:  # diverged, as the original did: the next event continues
                return

    for step, kind, value in rec.events:
        advance(step)
        {
            "penalty": tr.set_penalty,
            "lr": tr.set_lr,
            "rule": tr.set_rule,
            "batch": tr.set_batch_size,
            "state": lambda v: tr.set_state(*v),
        }[kind](value)
    advance(rec.steps)
    run.settings = following(run.settings, tr)
    exact = weights_fingerprint(tr.w, tr.b) == rec.weights_sha256
    return run, exact
