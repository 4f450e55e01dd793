# Everything a fresh machine needs, pinned: `make test` and `make demo` start from a bare clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The stamp names a hash of the dependency files: change one and the next make reinstalls.
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt constraints.txt pyproject.toml | sha1sum | cut -c1-12)
PACKAGE_DIR ?= build/package
STAGE ?= prod
export AWS_DEFAULT_REGION ?= us-east-1

.PHONY: install lint typecheck unit test soak demo demo-batch demo-accounts sync-policies package cfn-lint iam bench clean chromium

$(STAMP): requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	rm -f $(VENV)/.installed-*
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==26.2.1
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

install: $(STAMP)

# The same checks as .pre-commit-config.yaml: lint, then formatting (check only: nothing is rewritten).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest tests/unit

# The report's browser test renders the page in Debian's headless chromium: installed once (the CI runs as
# root), a no-op when /usr/bin/chromium is there.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation

chromium: $(CHROMIUM)

# The infra tests read the package `make package` just built (SHEPHERD_PACKAGE_DIR) instead of building their own.
test: lint typecheck cfn-lint chromium
	SHEPHERD_PACKAGE_DIR=$(PACKAGE_DIR) $(BIN)/pytest -n 2 --dist loadfile

# The model-based test of a group's life (tests/model), 20 times longer than in `make test`.
soak: install
	SHEPHERD_SOAK=1 $(BIN)/pytest -p no:xdist tests/model --hypothesis-show-statistics

demo: install
	$(BIN)/python -m devstack.demo

# The demo's batch variant: a batch release (smoke transform job, SSM parameter, a failed job, a rollback).
demo-batch: install
	$(BIN)/python -m devstack.demo_batch

# The demo across accounts: registry account -> LIVE in the production account, a canary rolled back there.
demo-accounts: install
	$(BIN)/python -m devstack.demo_accounts

# Chalice packages only app.py, chalicelib/ and vendor/: the policies travel inside chalicelib/.
sync-policies:
	rm -rf chalicelib/policies
	cp -r policies chalicelib/policies

# Chalice's template merged with infra/ (tables, topic, DLQ, retries, alarms): see infra/package.py.
package: install
	$(BIN)/python -m infra.package --stage $(STAGE) $(PACKAGE_DIR)

cfn-lint: package
	$(BIN)/cfn-lint $(PACKAGE_DIR)/sam.json

# Rewrites .chalice/policy-<stage>.json from infra/targets.json, the config and policies/*.json.
iam: install
	$(BIN)/python -m infra.iam

bench: install
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) build chalicelib/policies .pytest_cache .mypy_cache .ruff_cache .hypothesis

# The local stack (devstack/): AWS (moto) on :5000, the app's routes on :8000, until Ctrl-C.
# Ports: SHEPHERD_LOCAL_AWS_PORT / SHEPHERD_LOCAL_APP_PORT, or LOCAL_ARGS="--aws-port 5001 ...".
.PHONY: local e2e
local: install
	$(BIN)/python -m devstack.server $(LOCAL_ARGS)

e2e: install
	$(BIN)/pytest -m e2e tests/e2e
