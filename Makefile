# Entry points. The README names exactly two: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint bench venv clean

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "pulumi-flex-sms needs Python >= 3.10; set PYTHON=/path/to/python3.x")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[emulator,demo,dev]'
	@touch $@

venv: $(BIN)/.installed

## Set up, start the emulator with the example seed, and `pulumi up` the example stack
## (with the Pulumi CLI on PATH, or one installed into .pulumi-cli/ on first run).
demo: venv
	@bash examples/flex_sms/run.sh

## Set up, lint, and run the whole test suite (what CI runs): a lint error fails it too.
test: lint
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests; that is a failure, not a pass" >&2; exit 1; fi; \
	exit $$rc

## The same checks as .pre-commit-config.yaml, over the whole repository; mypy checks the
## package strictly ([tool.mypy] in pyproject.toml), with its cache in .mypy_cache/.
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## Print the figures; the benchmarks reuse the tests' harness, imported as `support` as under pytest.
bench: venv
	@for script in benchmarks/bench_*.py; do echo "== $$script"; \
	PYTHONPATH=tests$${PYTHONPATH:+:$$PYTHONPATH} $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache *.egg-info .pulumi-local .pulumi-cli
