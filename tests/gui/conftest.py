import pytest

from gui import theme


@pytest.fixture
def make_window(qtbot):
    """A shown main window on a bundled dataset, closed after the test."""
    from gui.app import create_window
    from main import build_parser

    theme.configure_pyqtgraph()

    def make(*argv):
        args = build_parser().parse_args(list(argv))
        w = create_window(args)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        return w

    yield make
