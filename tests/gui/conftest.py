import pytest

from gui import theme


@pytest.fixture
def make_window(qtbot):
    """A shown main window on a bundled dataset, closed after the test."""
    from cli import build_parser, window_options
    from gui.app import create_window

    theme.configure_pyqtgraph()

    def make(*argv):
        args = build_parser().parse_args(list(argv))
        w = create_window(**window_options(args))
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        return w

    yield make


@pytest.fixture
def capture_errors(monkeypatch):
    """Collect a window's error messages instead of showing (modal) message boxes."""

    def attach(window):
        window.errors = []
        monkeypatch.setattr(
            window, "show_error", lambda title, text: window.errors.append(text)
        )
        return window

    return attach
