"""The L1/L2 Explorer window (PySide6 + pyqtgraph). All Qt code lives in this package."""
