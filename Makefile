# cidx — build, test and set up dependencies.
#   make            build build/cidx and build/cidx-tui
#   make run        build, then open cidx-tui on this repository
#   make install    install both binaries and the man page under PREFIX (/usr/local)
#   make screenshots  render the app in a real terminal to screenshots/*.png
#   make test       build and run every test
#   make asan       run the tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make tsan       run the threaded tests under ThreadSanitizer
#   make deps       install missing Debian packages, fetch tree-sitter from npm

CC      ?= cc
BUILD   ?= build
DEPS    := build/deps
OPT     ?= -O2
SAN     ?=
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
PKGS    := sqlite3 libpcre2-8 libsodium
# libgit2 is opened with dlopen when first needed (src/gitlib.h): only its
# headers at build time, and its soname from the library found here.
GIT2_CFLAGS = $(shell pkg-config --cflags libgit2 2>/dev/null)
GIT2_SONAME = $(shell objdump -p "$$(pkg-config --variable=libdir libgit2 2>/dev/null)/libgit2.so" 2>/dev/null | awk '$$1=="SONAME"{print $$2}')
TS_INC  := $(DEPS)/tree-sitter/vendor/tree-sitter/lib/include
CFLAGS  := -std=c11 -D_GNU_SOURCE -g $(OPT) $(SAN) -pthread
CPPFLAGS := -Isrc -I$(TS_INC) -I$(BUILD)/gen
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(GIT2_CFLAGS)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# jemalloc: tree-sitter allocates per node; glibc malloc cost ~10% of a cold
# index (measured on MED). Sanitizer builds keep their own allocator.
MALLOC  := $(if $(SAN),,-ljemalloc)
LDLIBS   = $(PKG_LIBS) $(MALLOC) -ldl -lm -pthread
# The terminal app also links ncursesw (wide characters: UTF-8 text).
CURSES_CFLAGS = $(shell pkg-config --cflags ncursesw 2>/dev/null)
CURSES_LIBS   = $(shell pkg-config --libs ncursesw 2>/dev/null || echo -lncursesw -ltinfo)
PREFIX  ?= /usr/local

# Debian packages the build and the tests need (checked one by one by `make deps`).
APT_PKGS := build-essential pkg-config openssl nodejs git tmux \
	libsqlite3-dev libncurses-dev libpcre2-dev libsodium-dev libgit2-dev \
	libcmocka-dev libxxhash-dev libjemalloc-dev

ENGINE_SRC := $(wildcard src/*.c)
CLI_SRC    := src/main.c $(wildcard src/cli_*.c)
ENGINE_SRC := $(filter-out $(CLI_SRC),$(ENGINE_SRC))
LANG_SRC   := $(wildcard grammars/*/lang.c)
ENGINE_OBJ := $(ENGINE_SRC:src/%.c=$(BUILD)/obj/%.o) $(LANG_SRC:grammars/%/lang.c=$(BUILD)/obj/lang-%.o)
# One parser object per generated parser: PACKAGE for src-dir ".", else PACKAGE/DIR.
GRAMMAR_DIRS := $(shell grep -v '^\s*\#' grammars/manifest | \
	awk '$$3=="grammar"{n=split($$4,d,","); for(i=1;i<=n;i++) print (d[i]=="." ? $$1 : $$1 "/" d[i])}')
TS_OBJ     := $(BUILD)/obj/ts/lib.o $(foreach g,$(GRAMMAR_DIRS),$(BUILD)/obj/ts/$(g)-parser.o)
DEPS_STAMP := $(DEPS)/.stamp

.PHONY: all run test asan tsan deps clean check-warnings install screenshots
all: $(BUILD)/cidx $(BUILD)/cidx-tui

run: all
	$(BUILD)/cidx-tui .

screenshots: all
	sh screenshots/shoot.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/cidx $(BUILD)/cidx-tui $(DESTDIR)$(PREFIX)/bin/
	install -m 644 ui/cidx-tui.1 $(DESTDIR)$(PREFIX)/share/man/man1/

$(DEPS_STAMP): grammars/manifest grammars/fetch.sh
	@$(MAKE) --no-print-directory deps

deps:
	@missing=""; for p in $(APT_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	command -v python3 >/dev/null 2>&1 || missing="$$missing python3"; \
	if [ -n "$$missing" ]; then \
		echo "deps: installing Debian packages:$$missing"; \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		$$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing \
		|| { echo "deps: error: apt-get could not install:$$missing" >&2; exit 1; }; \
	fi
	@sh grammars/fetch.sh grammars/manifest $(DEPS)
	@touch $(DEPS_STAMP)

# Third-party C (tree-sitter runtime and generated parsers): compiled without our warning set.
$(BUILD)/obj/ts/lib.o: $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -w -I$(TS_INC) -I$(DEPS)/tree-sitter/vendor/tree-sitter/lib/src \
		-c $(DEPS)/tree-sitter/vendor/tree-sitter/lib/src/lib.c -o $@
$(BUILD)/obj/ts/%-parser.o: $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -w -I$(DEPS)/$*/src -c $(DEPS)/$*/src/parser.c -o $@
	@if [ -f $(DEPS)/$*/src/scanner.c ]; then \
		$(CC) $(CFLAGS) -w -I$(DEPS)/$*/src -c $(DEPS)/$*/src/scanner.c -o $(@:-parser.o=-scanner.o) && \
		ld -r $@ $(@:-parser.o=-scanner.o) -o $@.tmp && mv $@.tmp $@; fi

# Grammar versions from the manifest, compiled in: cached results are keyed by them.
$(BUILD)/gen/grammar_versions.h: grammars/manifest
	@mkdir -p $(@D)
	awk '!/^[ \t]*#/ && NF { n=$$1; gsub(/-/,"_",n); printf "#define GRAMMAR_VERSION_%s \"%s\"\n", n, $$2 }' $< > $@

$(BUILD)/obj/extract.o: $(BUILD)/gen/grammar_versions.h
$(BUILD)/obj/gitlib.o: CPPFLAGS += -DGIT2_SONAME='"$(GIT2_SONAME)"' 
# tswalk.c walks trees through the runtime's private headers (src/tswalk.h).
$(BUILD)/obj/tswalk.o: CPPFLAGS += -isystem $(DEPS)/tree-sitter/vendor/tree-sitter/lib/src

$(BUILD)/obj/%.o: src/%.c $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libcidx.a: $(ENGINE_OBJ) $(TS_OBJ)
	rm -f $@; ar rcs $@ $^

$(BUILD)/cidx: $(CLI_SRC:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/libcidx.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

-include $(wildcard $(BUILD)/obj/*.d)

# ---- the terminal app ------------------------------------------------------
# ui/keymap.c and ui/linediff.c are pure (no curses): they go into
# libcidxui.a, which the unit tests link too. The keymaps are compiled in as
# C strings.
UI_PURE    := ui/keymap.c ui/linediff.c
UI_SRC     := $(filter-out $(UI_PURE),$(wildcard ui/*.c))
UI_OBJ     := $(UI_SRC:ui/%.c=$(BUILD)/obj/ui/%.o)
KEYMAPS    := $(wildcard keymaps/*.keys)

$(BUILD)/gen/keymaps.h: $(KEYMAPS)
	@mkdir -p $(@D)
	for f in $(KEYMAPS); do \
		n=$$(basename $$f .keys); \
		echo "static const char keymap_$${n}_keys[] ="; \
		sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$$/\\n"/' $$f; \
		echo "	\"\";"; \
	done > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/ui/keys.o: $(BUILD)/gen/keymaps.h

$(BUILD)/obj/ui/%.o: ui/%.c $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS) -Iui $(PKG_CFLAGS) $(CURSES_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libcidxui.a: $(UI_PURE:ui/%.c=$(BUILD)/obj/ui/%.o)
	rm -f $@; ar rcs $@ $^

$(BUILD)/cidx-tui: $(UI_OBJ) $(BUILD)/libcidxui.a $(BUILD)/libcidx.a
	$(CC) $(CFLAGS) -o $@ $^ $(CURSES_LIBS) $(LDLIBS)

-include $(wildcard $(BUILD)/obj/ui/*.d)

# ---- tests -----------------------------------------------------------------
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/libcidx.a $(BUILD)/libcidxui.a $(BUILD)/gen/keymaps.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS) -Iui $(PKG_CFLAGS) -o $@ $< $(BUILD)/libcidxui.a $(BUILD)/libcidx.a $(LDLIBS) -lcmocka

test: $(BUILD)/cidx $(BUILD)/cidx-tui $(UNIT_BIN)
	@sh tests/run.sh $(BUILD)

asan:
	$(MAKE) BUILD=build/asan OPT=-O1 SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" test

tsan:
	$(MAKE) BUILD=build/tsan OPT=-O1 SAN="-fsanitize=thread" test

clean:
	rm -rf $(BUILD)/obj $(BUILD)/tests $(BUILD)/cidx $(BUILD)/cidx-tui $(BUILD)/libcidx.a $(BUILD)/libcidxui.a $(BUILD)/gen build/asan build/tsan

$(BUILD)/obj/lang-%.o: grammars/%/lang.c $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

# In-process driver of the search benchmarks (bench/search-speed.sh, bench/search-rank.sh).
$(BUILD)/search-driver: bench/search_driver.c $(BUILD)/libcidx.a
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS) $(PKG_CFLAGS) -o $@ $< $(BUILD)/libcidx.a $(LDLIBS)

# In-process driver of the call-graph benchmark (bench/graph-bench.sh).
$(BUILD)/graph-driver: bench/graph_driver.c $(BUILD)/libcidx.a
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS) $(PKG_CFLAGS) -o $@ $< $(BUILD)/libcidx.a $(LDLIBS)

# In-process driver of the duplicate-detection benchmark (bench/dups-bench.sh).
$(BUILD)/dups-driver: bench/dups_driver.c $(BUILD)/libcidx.a
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS) $(PKG_CFLAGS) -o $@ $< $(BUILD)/libcidx.a $(LDLIBS)
