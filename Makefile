# Two commands on a fresh clone: `make demo` and `make test`. Both bootstrap .venv with uv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv

.PHONY: setup demo test bench clean

setup: $(VENV)/.synced

# uv itself comes from PyPI into a private folder when the machine has none.
.tools/bin/uv:
	@echo "installing uv into .tools (once)"
	@$(PYTHON) -m venv .tools
	@.tools/bin/pip install --quiet --disable-pip-version-check uv

# Quiet (uv would print a line per package); its errors still show.
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	@echo "installing hubmine and its locked dependencies into $(VENV) with uv"
	@$(UV) sync --frozen --quiet --python $(PYTHON)
	@touch $@

demo: setup
	@$(VENV)/bin/hubmine demo

test: setup
	$(VENV)/bin/pytest

bench: setup
	$(VENV)/bin/python bench/crawl_load.py

clean:
	rm -rf $(VENV) .tools hubmine-data .pytest_cache
