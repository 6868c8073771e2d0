# `make test` and `make run` do all set-up themselves on a fresh Debian/Ubuntu machine:
# missing system packages (apt), a virtual environment in .venv, the project and its test
# extras. A second run installs nothing.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: test run bench torch clean system-test system-run package package-test pyinstaller

test: system-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

# Without a display rnn-studio explains what to do and exits with status 3 (NO_DISPLAY in
# app/main.py): said, not a failure of make.
run: system-run $(STAMP)
	@$(VENV)/bin/rnn-studio --example airline || test $$? -eq 3

system-test:
	@sh packaging/debian-packages.sh test

system-run:
	@sh packaging/debian-packages.sh run

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# Optional: PyTorch (CPU build) for the comparison tests and benchmarks. Never a dependency.
torch: $(STAMP)
	$(PY) -m pip install --quiet torch==2.13.0

bench: $(STAMP)
	$(PY) benchmarks/bench_training.py

# The desktop bundle: dist/rnn-studio/rnn-studio starts without Python (packaging/rnn-studio.spec).
# PyInstaller is a build tool only, never a dependency of the application.
PYINSTALLER := pyinstaller==6.22.3

# The bundle collects Qt's window libraries (xcb) from the system: they must be installed.
pyinstaller: system-run $(STAMP)
	@$(PY) -c "import PyInstaller" 2>/dev/null || $(PY) -m pip install --quiet $(PYINSTALLER)

# PyInstaller's warnings about libgtk-3, user32 and msvcrt concern a Qt theme plugin that the
# spec leaves out and Windows-only code paths: expected.
package: system-run pyinstaller
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/rnn-studio.spec
	mkdir -p build/self-test-home
	env -i PATH=/usr/bin:/bin HOME=$(CURDIR)/build/self-test-home dist/rnn-studio/rnn-studio --self-test
	@du -sh dist/rnn-studio

# Builds a bundle in a temporary folder and checks it (also part of `make test` when
# PyInstaller is installed).
package-test: system-run pyinstaller
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/packaging

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
