# `make test` and `make run` do all set-up themselves on a fresh Debian/Ubuntu machine:
# missing system packages (apt), a virtual environment in .venv, the project and its test
# extras. A second run installs nothing.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: test run bench torch clean system-test system-run

test: system-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

run: system-run $(STAMP)
	$(VENV)/bin/rnn-studio --example airline

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

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
