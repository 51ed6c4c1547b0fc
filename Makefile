# Podium: `make` builds build/podium, `make run` loads examples/ on first run and
# serves them on http://127.0.0.1:8080, `make test` runs every test (also under ASan and UBSan), `make bench`
# measures. Missing Debian packages are installed first.

BUILD_DEPS := gcc meson ninja-build pkg-config tzdata gettext python3 libglib2.0-dev libsqlite3-dev \
	libjansson-dev libyajl-dev libicu-dev libcmark-dev libmicrohttpd-dev libical-dev libpq-dev \
	libsodium-dev libcsv-dev liboath-dev libqrencode-dev libxml2-dev libvips-dev libwebp-dev
TEST_DEPS := $(BUILD_DEPS) libcmocka-dev python3 python3-pytest python3-hypothesis python3-icalendar jq \
	postgresql postgresql-common python3-psycopg2 python3-feedparser python3-pil
BROWSER_DEPS := chromium chromium-driver python3-selenium default-jre-headless nodejs zbar-tools fonts-noto-cjk
BENCH_DEPS := $(BUILD_DEPS) jq wrk nghttp2-client curl nginx-light postgresql postgresql-common python3-pil
MESON_RELEASE := --buildtype=release
MESON_SANITIZE := --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false \
	-Dc_args=-fno-sanitize-recover=all
WERROR := $(if $(CI),--werror,)

DB ?= var/podium.db
LISTEN ?= 127.0.0.1:8080

FUZZ_DEPS := $(BUILD_DEPS) clang libclang-rt-14-dev
FUZZ_SECONDS ?= 60
MESON_FUZZ := --buildtype=debugoptimized -Dfuzz=true -Db_sanitize=address,undefined \
	-Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link

.PHONY: all build build-asan deps test run bench fuzz clean po

all: build

build:
	@tools/deps.sh $(BUILD_DEPS)
	@[ -f build/build.ninja ] || meson setup build $(MESON_RELEASE) $(WERROR)
	@ninja -C build

build-asan:
	@tools/deps.sh $(TEST_DEPS)
	@[ -f build-asan/build.ninja ] || meson setup build-asan $(MESON_SANITIZE) $(WERROR)
	@ninja -C build-asan

# The Nu HTML Checker and axe-core, from the npm registry (package.json);
# --ignore-scripts: vnu-jar ships its jar and would fetch a Java runtime of its own.
node_modules: package.json package-lock.json
	@tools/deps.sh $(BROWSER_DEPS)
	@command -v npm >/dev/null || tools/deps.sh npm
	@npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch node_modules

test: node_modules
	@tools/deps.sh $(TEST_DEPS) $(BROWSER_DEPS)
	@$(MAKE) --no-print-directory build build-asan
	@tests/run.sh

run: build
	@mkdir -p $(dir $(DB))
	@if [ ! -f $(DB) ]; then \
		rm -f $(DB).new*; \
		for f in examples/*.json; do build/podium --db $(DB).new import $$f || exit 1; done; \
		mv $(DB).new $(DB) && echo "loaded examples/ into $(DB)"; \
	fi
	@build/podium --db $(DB) list
	@build/podium --db $(DB) serve --listen $(LISTEN)

bench: build
	@tools/deps.sh $(BENCH_DEPS)
	@bench/import_export.sh
	@bench/serve.sh
	@bench/postgresql.sh
	@bench/back_office.sh
	@bench/language.sh
	@bench/photos.sh

# libFuzzer over every parser of outside input (fuzz/), FUZZ_SECONDS each; make test
# replays every input of fuzz/corpus/ once
fuzz:
	@tools/deps.sh $(FUZZ_DEPS)
	@[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz $(MESON_FUZZ)
	@ninja -C build-fuzz
	@tools/fuzz.sh $(FUZZ_SECONDS)

# The catalogs brought up to date with the sources: new messages come in
# untranslated, changed ones fuzzy, gone ones are dropped.
po: build
	@for po in po/*.po; do msgmerge --quiet --update --backup=none --no-wrap $$po build/podium.pot \
		&& msgattrib --no-obsolete --no-wrap -o $$po $$po; done
	@for po in po/*.po; do printf '%s: ' $$po; msgfmt --check --statistics -o /dev/null $$po; done

clean:
	rm -rf build build-asan build-fuzz test-results
