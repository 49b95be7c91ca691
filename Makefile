# The two promises of the README: `make demo` and `make test` work on a fresh clone.
VENV       := .venv
PY         := $(VENV)/bin/python
CREATED    := $(VENV)/.created-stamp
STAMP      := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.test-stamp

.PHONY: demo test bench bench-baselines fuzz-api install clean

install: $(STAMP)

# uv installs the same pinned wheels as pip in seconds instead of ~40 s (parallel downloads and
# byte-compilation); where uv cannot be had or fails, pip does the install as before. Byte-compiling at
# install matters: with PYTHONDONTWRITEBYTECODE set (as on these machines) nothing else writes .pyc files,
# and every scomm process and worker would compile its imports again (~6 s each).
UV_VERSION := 0.13.9
INSTALL     = $(PY) -m uv pip install --quiet --compile-bytecode --python $(PY) $(1) || \
              { $(PY) -m pip install --quiet --upgrade pip && $(PY) -m pip install --quiet $(1); }

$(CREATED):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION) || echo "uv not available: installing with pip"
	touch $@

# The demo needs the package only; the test tools (browser driver, PostgreSQL client, Parquet) come with `make test`.
$(STAMP): pyproject.toml $(CREATED)
	$(call INSTALL,-e .)
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(call INSTALL,-e ".[test]")
	touch $@

demo: $(STAMP)
	$(VENV)/bin/scomm demo

test: $(TEST_STAMP)
	$(PY) -m pytest -q

bench: $(TEST_STAMP)
	$(PY) bench/fingerprints_bench.py

# scomm beside NIST MINDTCT + BOZORTH3 (built from source into .bench/afis, never a dependency of scomm).
bench-baselines: $(TEST_STAMP)
	bench/baselines_setup.sh .bench/afis
	$(PY) bench/baselines_bench.py

# Schemathesis against the live service (every operation, every role, no 5xx); not part of `make test`.
fuzz-api: $(TEST_STAMP)
	$(call INSTALL,-e ".[fuzz]")
	$(PY) -m pytest -q -p no:cacheprovider bench/test_api_schemathesis.py

clean:
	rm -rf .scomm artifacts
