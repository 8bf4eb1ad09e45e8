# The two commands of a fresh machine (see README.md):
#   make demo   the main job: triage the sample tickets of examples/tickets.jsonl with the
#               embedded default policy and print a table (`-- --json` for JSON Lines)
#   make test   every test of the three languages (Rust tests and doctests, pytest against the
#               built wheel, node's test runner against the built addon) and every example
# Only the toolchains of ../shared/BUILD-NOTES.md are assumed (cargo, python3, node, npm); the
# Python and npm dependencies are installed here, from the project's own pinned files.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
WHEELS := target/wheels
HOST := $(shell rustc -vV | sed -n 's/^host: //p')
# maturin and the napi CLI share one target directory when both build for the host triple
# (the napi CLI always passes --target), so the second build reuses the first one's work.
BINDING_ENV := CARGO_BUILD_TARGET=$(HOST)

.PHONY: demo test rust-test python-build python-test node-build node-test examples-test bench clean

demo:
	cargo run --release --quiet -p aftersales-examples --example demo

test: rust-test python-test node-test examples-test
	@echo "all tests passed"

rust-test:
	cargo test --workspace --quiet

$(VENV)/.installed: bindings-python/requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --disable-pip-version-check -r bindings-python/requirements-dev.txt
	touch $@

python-build: $(VENV)/.installed
	rm -rf $(WHEELS)
	$(BINDING_ENV) $(VENV)/bin/maturin build --release --quiet -m bindings-python/Cargo.toml -o $(WHEELS)
	$(VPY) -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps $(WHEELS)/aftersales-*.whl

python-test: python-build
	$(VPY) -m pytest -q tests/python

bindings-node/node_modules/.installed: bindings-node/package.json bindings-node/package-lock.json
	cd bindings-node && npm install --no-audit --no-fund --loglevel=error
	touch $@

node-build: bindings-node/node_modules/.installed
	cd bindings-node && $(BINDING_ENV) npx napi build --platform --release --manifest-path Cargo.toml --output-dir .
	@# The generated loader and types are committed; a build that changes them means they drifted.
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1 && ! git diff --quiet -- bindings-node/index.d.ts bindings-node/index.js; then \
		echo "bindings-node/index.d.ts or index.js changed when regenerated: commit the new files"; \
		git --no-pager diff --stat -- bindings-node/index.d.ts bindings-node/index.js; exit 1; fi

node-test: node-build
	node --test tests/node/

examples-test: python-build node-build
	cargo run --release --quiet -p aftersales-examples --example demo > /dev/null
	cargo run --release --quiet -p aftersales-examples --example demo -- --json > /dev/null
	cargo run --release --quiet -p aftersales-examples --example demo -- --now 2026-11-21T12:00:00Z examples/tickets.jsonl > /dev/null
	cargo run --release --quiet -p aftersales-examples --example classify -- "Where is my parcel?" > /dev/null
	$(VPY) examples/classify.py > /dev/null
	$(VPY) examples/triage.py > /dev/null
	node examples/classify.js > /dev/null
	node examples/triage.js > /dev/null

bench:
	cargo bench -p aftersales-benches

clean:
	cargo clean
	rm -rf $(VENV) bindings-node/node_modules bindings-node/*.node
