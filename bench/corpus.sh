#!/usr/bin/env bash
# Build the benchmark corpora (MED and BIG) from Debian's linux-source-6.1 package.
#
# Nothing is installed system-wide: the .deb is fetched with `apt-get download`
# into a cache directory, extracted with `dpkg-deb -x`, and the kernel tarball
# it contains is unpacked once.  The corpora are directories of hard links
# (or copies when hard links are impossible) so the indexer sees real files.
#
#   CIDX_BENCH_CACHE   cache directory (default: $HOME/.cache/cidx-bench)
#
# Layout produced:
#   $CACHE/debs/linux-source-6.1_*.deb
#   $CACHE/linux-6.1/            full kernel tree (unpacked once)
#   $CACHE/med/                  kernel/ mm/ fs/ext4 lib/       (*.c, *.h)
#   $CACHE/big/                  fs/ drivers/net/ net/          (*.c, *.h)
set -euo pipefail

PKG=linux-source-6.1
CACHE=${CIDX_BENCH_CACHE:-$HOME/.cache/cidx-bench}
SRC=$CACHE/linux-6.1
MED_DIRS=(kernel mm fs/ext4 lib)
BIG_DIRS=(fs drivers/net net)

log() { printf '[corpus] %s\n' "$*" >&2; }
die() { printf '[corpus] ERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$CACHE"
start=$(date +%s)

# --- 1. fetch the .deb -----------------------------------------------------
fetch_deb() {
    mkdir -p "$CACHE/debs"
    local deb
    deb=$(ls "$CACHE"/debs/${PKG}_*.deb 2>/dev/null | head -n1 || true)
    if [[ -n $deb ]]; then
        log "package already downloaded: $deb"
        return 0
    fi
    command -v apt-get >/dev/null || die "apt-get not found (Debian/Ubuntu host required)"
    log "downloading $PKG with apt-get download into $CACHE/debs"
    if ! (cd "$CACHE/debs" && apt-get download "$PKG"); then
        log "apt-get download failed; running apt-get update once and retrying"
        local sudo=
        [[ $(id -u) -eq 0 ]] || sudo=sudo
        $sudo apt-get update || die "apt-get update failed"
        (cd "$CACHE/debs" && apt-get download "$PKG") ||
            die "apt-get download $PKG failed after apt-get update; is a Debian bookworm source configured?"
    fi
    # apt-get download may leave a partial file on failure; make sure we got one
    ls "$CACHE"/debs/${PKG}_*.deb >/dev/null 2>&1 || die "no ${PKG}_*.deb found after download"
}

# --- 2. extract the .deb and unpack the tarball ----------------------------
unpack_source() {
    if [[ -f $SRC/.unpacked ]]; then
        log "kernel tree already unpacked: $SRC"
        return 0
    fi
    local deb debroot tarball
    deb=$(ls "$CACHE"/debs/${PKG}_*.deb | head -n1)
    debroot=$CACHE/deb-extract
    if [[ ! -d $debroot/usr/src ]]; then
        log "extracting $(basename "$deb") into $debroot (dpkg-deb -x)"
        rm -rf "$debroot"
        dpkg-deb -x "$deb" "$debroot"
    fi
    tarball=$(ls "$debroot"/usr/src/${PKG}.tar.* 2>/dev/null | head -n1 || true)
    [[ -n $tarball ]] || die "no ${PKG}.tar.* inside $deb"
    log "unpacking $(basename "$tarball") into $SRC (takes a few minutes)"
    rm -rf "$SRC" "$CACHE/unpack.tmp"
    mkdir -p "$CACHE/unpack.tmp"
    tar -xf "$tarball" -C "$CACHE/unpack.tmp"
    # the tarball has a single top-level directory (linux-source-6.1/)
    local top
    top=$(find "$CACHE/unpack.tmp" -mindepth 1 -maxdepth 1 -type d | head -n1)
    [[ -n $top && -d $top/kernel ]] || die "unexpected tarball layout in $tarball"
    mv "$top" "$SRC"
    rmdir "$CACHE/unpack.tmp" 2>/dev/null || true
    touch "$SRC/.unpacked"
    # the extracted .deb tree (~130 MB tarball) is no longer needed
    rm -rf "$debroot"
    log "unpacked kernel tree at $SRC"
}

# --- 3. build a corpus of *.c/*.h files -----------------------------------
# build_corpus NAME DIR...
build_corpus() {
    local name=$1; shift
    local dest=$CACHE/$name stamp stampfile=$CACHE/.$name.stamp
    stamp="dirs=$*"
    if [[ -d $dest/.git && -f $stampfile && $(cat "$stampfile") == "$stamp" ]]; then
        log "corpus $name already built: $dest"
        return 0
    fi
    log "building corpus $name from: $* (only *.c, *.h; hard links into $dest)"
    rm -rf "$dest"
    mkdir -p "$dest"
    local d
    for d in "$@"; do
        [[ -d $SRC/$d ]] || die "missing directory $SRC/$d"
    done
    # Regular files only (no symlinks); cp -l makes hard links, fall back to
    # plain copies if the cache crosses file systems.
    (cd "$SRC" && find "$@" -type f \( -name '*.c' -o -name '*.h' \) -print0 |
        LC_ALL=C sort -z |
        xargs -0 cp --parents -l -t "$dest" 2>/dev/null) ||
    (cd "$SRC" && find "$@" -type f \( -name '*.c' -o -name '*.h' \) -print0 |
        LC_ALL=C sort -z |
        xargs -0 cp --parents -t "$dest")
    git -C "$dest" init -q
    echo "$stamp" > "$stampfile"
}

report() {
    local name=$1 dest=$CACHE/$1 files bytes
    files=$(find "$dest" -path "$dest/.git" -prune -o -type f \( -name '*.c' -o -name '*.h' \) -print | wc -l)
    bytes=$(find "$dest" -path "$dest/.git" -prune -o -type f \( -name '*.c' -o -name '*.h' \) -printf '%s\n' |
            awk '{s+=$1} END {print s+0}')
    printf '%-4s %s  files=%d  size=%d bytes (%.1f MB)\n' "$name" "$dest" "$files" "$bytes" \
        "$(awk -v b="$bytes" 'BEGIN {print b/1000000}')"
}

fetch_deb
unpack_source
build_corpus med "${MED_DIRS[@]}"
build_corpus big "${BIG_DIRS[@]}"

echo "corpora ready (cache: $CACHE, $(( $(date +%s) - start ))s):"
report med
report big
echo "MED=$CACHE/med"
echo "BIG=$CACHE/big"
