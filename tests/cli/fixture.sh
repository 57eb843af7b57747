#!/bin/sh
# fixture.sh — end-to-end check of the cidx command line on the fixture
# repository tests/fixtures/c-repo.
#
# The fixture is copied to a temporary directory and made a git repository
# (no commits: the scanner only needs .git for the ignore rules), indexed
# into a temporary cache directory, then queried. Every query's output is
# appended after a header line "== cidx ARGS" (with " (in DIR)" when run from
# a subdirectory, and a line "exit N" when the command failed) and the whole
# transcript, ending with `cidx dump`, must equal tests/cli/fixture.expected.
#
# fixture.expected is not a recording: every line was checked by hand against
# the fixture's source. When the output changes, look at the diff and fix
# whichever side is wrong. FIXTURE_ACTUAL=FILE keeps the actual transcript.
#
# Separate checks follow: unknown names, usage errors, .gitignore, a binary
# file, a symlink leading out of the repository, re-indexing.
#
# Run by tests/run.sh, which exports CIDX_BIN (absolute path of build/cidx)
# and a pinned environment. Prints one "ok NAME" or "FAIL NAME" line per
# check and a closing "N passed, M failed"; exits non-zero on any failure.
set -u

here=$(cd "$(dirname "$0")" && pwd)
fixture=$here/../fixtures/c-repo
expected=$here/fixture.expected
if [ -z "${CIDX_BIN:-}" ] || [ ! -x "$CIDX_BIN" ]; then
	echo "FAIL fixture: CIDX_BIN must be the absolute path of the cidx binary"
	echo "0 passed, 1 failed"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cidx-fixture.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

# Nothing from the caller's git or cache setup may change what is indexed.
export CIDX_CACHE_DIR="$tmp/cache"
export HOME="$tmp/home"
export GIT_CONFIG_NOSYSTEM=1
unset XDG_CACHE_HOME XDG_CONFIG_HOME GIT_DIR GIT_WORK_TREE
mkdir -p "$HOME" "$CIDX_CACHE_DIR"

repo=$tmp/repo
cp -R "$fixture" "$repo" || exit 1
# generated/ is ignored by the fixture's .gitignore, which also hides it from
# the cidx repository itself: recreate it if it was not checked in (git add -f).
if [ ! -f "$repo/generated/ignored.c" ]; then
	mkdir -p "$repo/generated"
	cat >"$repo/generated/ignored.c" <<'EOF'
/* ignored.c — produced by tools/gen.sh; ignored by .gitignore. */
int generated_table_lookup(int key)
{
	return key * 2;
}
EOF
fi
git init -q "$repo" >/dev/null 2>&1 || { fail "fixture: git init"; echo "$passed passed, $failed failed"; exit 1; }

cidx() { "$CIDX_BIN" "$@"; }

if (cd "$repo" && cidx index >"$tmp/index.out" 2>&1); then
	ok "fixture index"
else
	cat "$tmp/index.out"
	fail "fixture index"
fi

# ---- the transcript ----------------------------------------------------------

out=$tmp/actual
: >"$out"
q() { # q DIR ARGS...: run cidx ARGS in the copy's DIR, append to the transcript
	dir=$1
	shift
	if [ "$dir" = . ]; then
		echo "== cidx $*" >>"$out"
	else
		echo "== cidx $* (in $dir)" >>"$out"
	fi
	(cd "$repo/$dir" && cidx "$@") >>"$out" 2>&1
	rc=$?
	[ $rc -eq 0 ] || echo "exit $rc" >>"$out"
}

# definitions
q . query def main
q . query def helper
q . query def hash_string
q . query def dup_name
q . query def find_slot
q . query def xmalloc
q . query def make_opener
q . query def old_style
q . query def usage
q . query def is_odd
q . query def setup_thing
q . query def start_thing
q . query def __visible
q . query def DEFINE_HANDLER
q . query def MAX_ITEMS
q . query def SQUARE
q . query def ops
q . query def transform_fn
q . query def default_ops
q . query def table_size
q . query def compat_version
q . query def dump_registry
q lib query def log_msg
# callers
q . query callers helper
q src query callers helper
q . query callers helper2
q . query callers parse_number
q . query callers hash_string
q . query callers log_msg
q . query callers registry_count
q . query callers count_nodes
q . query callers compute_size
q . query callers make_opener
q . query callers is_even
q . query callers is_odd
q . query callers SQUARE
q . query callers printf
q . query callers open
q . query callers close
q . query callers fp
q . query callers usage
q . query callers xmalloc
q . query callers dup_name
q . query callers find_slot
q . query callers do_foo
q . query callers process
q . query callers FOREACH_ITEM
q . query callers LOCK_SECTION
q . query callers flush_list
q . query callers module_init
q . query callers setup_thing
q . query callers helper_count
q . query callers compat_version
q . query callers main
# callees
q . query callees main
q . query callees helper
q . query callees old_style
q . query callees parse_flags
q . query callees find_slot
q . query callees dup_name
q . query callees registry_add
q . query callees count_nodes
q . query callees is_even
q . query callees compute_size
q . query callees run_ops
q . query callees apply
q . query callees xmalloc
q . query callees setup_thing
q . query callees start_thing
q . query callees process_all
q . query callees DEFINE_HANDLER
q . query callees update_count
q . query callees drain
q . query callees probe
q . query callees after_errors
q . query callees compat_version
q . query callees hash_string
q include query callees registry_count
# JSON
q . query def hash_string --json
q . query def helper --json
q . query callers helper --json
q . query callers hash_string --json
q . query callers open --json
q . query callees main --json
# the whole index
q . dump

[ -n "${FIXTURE_ACTUAL:-}" ] && cp "$out" "$FIXTURE_ACTUAL"
if diff -u "$expected" "$out" >"$tmp/diff"; then
	ok "fixture"
else
	cat "$tmp/diff"
	fail "fixture"
fi

# ---- errors ------------------------------------------------------------------

(cd "$repo" && cidx query def helpr) >"$tmp/o" 2>"$tmp/e"
rc=$?
if [ $rc -eq 1 ] && [ ! -s "$tmp/o" ] &&
	grep -q "no symbol 'helpr'; did you mean: helper" "$tmp/e"; then
	ok "fixture unknown name"
else
	echo "exit $rc; stderr:"
	cat "$tmp/e"
	fail "fixture unknown name"
fi

usage_case() { # usage_case NAME ARGS...: exit 2, usage text on stderr, nothing on stdout
	name=$1
	shift
	(cd "$repo" && cidx "$@") >"$tmp/o" 2>"$tmp/e"
	rc=$?
	if [ $rc -eq 2 ] && [ ! -s "$tmp/o" ] && grep -q '^usage: cidx ' "$tmp/e"; then
		ok "fixture usage: $name"
	else
		echo "cidx $*: exit $rc; stdout:"
		cat "$tmp/o"
		echo "stderr:"
		cat "$tmp/e"
		fail "fixture usage: $name"
	fi
}
usage_case "query without arguments" query
usage_case "unknown command" frobnicate
usage_case "index --jobs x" index --jobs x

# ---- what is and is not indexed ------------------------------------------------

(cd "$repo" && cidx dump) >"$tmp/dump1" 2>&1
if grep -q 'generated' "$tmp/dump1"; then
	grep 'generated' "$tmp/dump1"
	fail "fixture gitignored file not indexed"
else
	ok "fixture gitignored file not indexed"
fi

# A file with a NUL byte, and a symlink leading out of the repository.
printf 'int not_code(void)\n{\n\treturn 0;\000\001\002\n}\n' >"$repo/bin.c"
target=/etc/hostname
[ -e "$target" ] || target=/etc/passwd
ln -s "$target" "$repo/out.c"
(cd "$repo" && cidx index) >"$tmp/index2.out" 2>&1 || { cat "$tmp/index2.out"; fail "fixture reindex"; }
(cd "$repo" && cidx dump) >"$tmp/dump2" 2>&1
(cd "$repo" && cidx stats --json) >"$tmp/stats" 2>&1

if grep -qx 'skip bin.c binary' "$tmp/dump2" && ! grep -q '^file bin\.c ' "$tmp/dump2"; then
	ok "fixture binary file skipped (dump)"
else
	grep 'bin\.c' "$tmp/dump2"
	fail "fixture binary file skipped (dump)"
fi
if grep -qx 'skip out.c symlink-outside' "$tmp/dump2" && ! grep -q '^file out\.c ' "$tmp/dump2"; then
	ok "fixture symlink outside the root skipped (dump)"
else
	grep 'out\.c' "$tmp/dump2"
	fail "fixture symlink outside the root skipped (dump)"
fi
reasons=$(sed -n 's/.*"skipped_by_reason":\({[^}]*}\).*/\1/p' "$tmp/stats")
if [ "$reasons" = '{"binary":1,"symlink-outside":1}' ] && grep -q '"skipped":2,' "$tmp/stats"; then
	ok "fixture stats --json skipped_by_reason"
else
	cat "$tmp/stats"
	fail "fixture stats --json skipped_by_reason"
fi
# Apart from the two skip lines, the index is what it was.
grep -v '^skip ' "$tmp/dump2" >"$tmp/dump2.noskip"
if diff -u "$tmp/dump1" "$tmp/dump2.noskip" >"$tmp/diff"; then
	ok "fixture skipped files change nothing else"
else
	cat "$tmp/diff"
	fail "fixture skipped files change nothing else"
fi

# Indexing again with nothing changed gives the same index.
(cd "$repo" && cidx index) >"$tmp/index3.out" 2>&1 || { cat "$tmp/index3.out"; fail "fixture index again"; }
(cd "$repo" && cidx dump) >"$tmp/dump3" 2>&1
if diff -u "$tmp/dump2" "$tmp/dump3" >"$tmp/diff"; then
	ok "fixture index twice gives the same dump"
else
	cat "$tmp/diff"
	fail "fixture index twice gives the same dump"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
