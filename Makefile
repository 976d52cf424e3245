# Cairn: the two commands a newcomer needs are `make run` and `make test`.
# Everything builds with meson + ninja; this file only strings steps together.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
DEMO_DB    ?= var/demo.db
DEMO_N     ?= 2000
LISTEN     ?= 127.0.0.1:8080

.PHONY: all deps build run demo test unit e2e asan browser bench fuzz clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	meson setup $(BUILD) >/dev/null

build: $(BUILD)/build.ninja
	@ninja -C $(BUILD)

demo: build
	@mkdir -p var
	@if [ ! -f $(DEMO_DB) ]; then \
	  $(BUILD)/cairn demo --db $(DEMO_DB) --children $(DEMO_N) --seed 1; \
	else \
	  $(BUILD)/cairn init --db $(DEMO_DB); \
	fi

run: deps build demo
	@$(BUILD)/cairn demo --db $(DEMO_DB) --print-logins
	@echo "Serving http://$(LISTEN)  (Ctrl-C to stop)"
	@$(BUILD)/cairn serve --db $(DEMO_DB) --listen $(LISTEN)

# Everything CI runs; the last line is "N passed, N failed".
test: deps
	@tests/run-all

bench: deps build
	@bench/run
	@bench/stores

fuzz: deps
	@CC=clang-14 meson setup $(FUZZ_BUILD) -Dfuzz=true \
	  -Db_sanitize=address,undefined -Db_lundef=false >/dev/null 2>&1 || true
	@ninja -C $(FUZZ_BUILD)
	@fuzz/run $(FUZZ_BUILD) $${FUZZ_SECONDS:-60}

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
