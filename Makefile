# InfraForge developer entry points. `make render` and `make test` work on a fresh machine with
# Python 3.11+, Go (for the pinned kubeconform/actionlint binaries) and Node.js/npm (Backstage's
# own validators); everything is installed into the project: .venv/, .tools/, node_modules.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
TOOLS  := .tools/bin
KUBECONFORM_VERSION := v0.7.0
ACTIONLINT_VERSION  := v1.7.12
OPENTOFU_VERSION    := v1.10.10
PYTEST_ARGS ?=

.PHONY: help dev native tools node render check test bench clean

help:
	@echo "make render  - set up .venv and render catalog/ + overlays/ into rendered/"
	@echo "make test    - install everything the suite needs and run it"
	@echo "make bench   - performance benchmarks (see benchmarks/README.md)"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

dev: $(VENV)/.installed

# The emitter's walk in C (generator/infraforge/native): used only while it matches its source,
# so an edit runs as plain Python until this is run again. Quick when up to date.
native: dev
	$(BIN)/python -m infraforge.native.build

# Pinned Go CLIs, built from the Go module proxy into .tools/bin (a stamp per version).
$(TOOLS)/.kubeconform-$(KUBECONFORM_VERSION):
	mkdir -p $(TOOLS)
	GOBIN=$(abspath $(TOOLS)) go install github.com/yannh/kubeconform/cmd/kubeconform@$(KUBECONFORM_VERSION)
	touch $@

$(TOOLS)/.actionlint-$(ACTIONLINT_VERSION):
	mkdir -p $(TOOLS)
	GOBIN=$(abspath $(TOOLS)) go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	touch $@

# OpenTofu's go.mod has replace directives, which `go install module@version` refuses, so it is
# built from the module's source as the proxy serves it (tests run `tofu fmt -check` on tofu/).
$(TOOLS)/.tofu-$(OPENTOFU_VERSION):
	mkdir -p $(TOOLS)
	cd "$$(go mod download -json github.com/opentofu/opentofu@$(OPENTOFU_VERSION) \
	      | $(PYTHON) -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')" \
	  && go build -o $(abspath $(TOOLS))/tofu ./cmd/tofu
	touch $@

tools: $(TOOLS)/.kubeconform-$(KUBECONFORM_VERSION) $(TOOLS)/.actionlint-$(ACTIONLINT_VERSION) \
       $(TOOLS)/.tofu-$(OPENTOFU_VERSION)

# Backstage's own catalog-model validators (pinned by tests/backstage/package-lock.json).
tests/backstage/node_modules/.installed: tests/backstage/package-lock.json
	npm ci --prefix tests/backstage --no-audit --no-fund
	touch $@

node: tests/backstage/node_modules/.installed

render: native
	$(BIN)/infraforge render

check: native
	$(BIN)/infraforge render --check

test: native tools node
	$(BIN)/pytest -n auto -q $(PYTEST_ARGS)

bench: native
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .tools .infraforge-cache rendered tests/backstage/node_modules \
	  generator/infraforge/native/compiled
