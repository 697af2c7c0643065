# L1/L2 Explorer: `make run` opens the app, `make test` runs every test headless.
# Both set everything up first on a fresh Debian 12 machine that has only Python 3.11+:
# a virtual environment in .venv, the Python packages, and the Debian libraries Qt
# needs (installed when running as root with apt-get, otherwise the exact command to run
# is printed). Re-running is fast: the venv is rebuilt only when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Libraries Qt needs even offscreen; fonts, or every label renders as empty boxes.
QT_DEBS  := libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 \
            libglib2.0-0 libxkbcommon0 fonts-dejavu-core
# ... and for a real window (the xcb platform).
XCB_DEBS := libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
            libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0

.PHONY: run test bench soak lint setup debs-test debs-run clean

run: setup debs-run
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ] && [ -z "$$QT_QPA_PLATFORM" ]; then \
	  echo "make run: no display here (DISPLAY and WAYLAND_DISPLAY are empty), so no window can open."; \
	  echo "  On a desktop, run 'make run' in a terminal of that desktop."; \
	  echo "  On a server: apt-get install -y xvfb xauth, then 'xvfb-run -a make run' (a virtual screen),"; \
	  echo "  or make figures without a window: .venv/bin/python main.py --headless --help"; \
	  exit 1; \
	fi
	$(BIN)/python main.py --dataset houses

test: setup debs-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup debs-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

# The window plays 100,000 steps offscreen; exit 1 if its memory keeps growing.
soak: setup debs-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks.soak

lint: setup
	$(BIN)/python -m ruff check . && $(BIN)/python -m ruff format --check .

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "make: Python 3.11 or newer is needed as '$(PYTHON)' (set PYTHON=... to choose another)."; \
	  exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || $(MAKE) --no-print-directory _debs DEBS=python3-venv
	@rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]' ruff
	@touch $(STAMP)

debs-test:
	@$(MAKE) --no-print-directory _debs DEBS="$(QT_DEBS)"

debs-run:
	@$(MAKE) --no-print-directory _debs DEBS="$(QT_DEBS) $(XCB_DEBS)"

# Install the Debian packages in DEBS that are missing, or say how to.
_debs:
	@command -v dpkg-query >/dev/null 2>&1 || exit 0; \
	missing=""; \
	for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "make: installing Debian packages:$$missing"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "make: these Debian packages are missing. Install them, then run make again:"; \
	  echo "  sudo apt-get install -y$$missing"; \
	  exit 1; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
