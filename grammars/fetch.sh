#!/bin/sh
# Fetch the tree-sitter runtime and grammars named in grammars/manifest from
# the npm registry, verify each tarball against its pinned sha512 integrity and
# unpack it under DEST (build/deps). Idempotent: a package already unpacked at
# the pinned version is left alone.
set -eu
manifest=${1:?usage: fetch.sh MANIFEST DEST}
dest=${2:?usage: fetch.sh MANIFEST DEST}
mkdir -p "$dest/tarballs"

sri() { # print the sha512 subresource-integrity string of file $1
	printf 'sha512-%s' "$(openssl dgst -sha512 -binary "$1" | base64 | tr -d '\n')"
}

grep -v '^[[:space:]]*#' "$manifest" | while read -r pkg ver role langs want; do
	[ -n "$pkg" ] || continue
	out="$dest/$pkg"
	if [ -f "$out/.cidx-version" ] && [ "$(cat "$out/.cidx-version")" = "$ver $want" ]; then
		continue
	fi
	tgz="$dest/tarballs/$pkg-$ver.tgz"
	if [ ! -f "$tgz" ]; then
		echo "fetch: $pkg@$ver from the npm registry"
		tmp=$(mktemp -d)
		if ! (cd "$tmp" && npm pack --silent "$pkg@$ver" >/dev/null 2>"$tmp/err"); then
			echo "fetch: error: could not download $pkg@$ver with 'npm pack':" >&2
			sed 's/^/  /' "$tmp/err" >&2
			echo "fetch: check the network and npm's registry setting, then run 'make deps' again" >&2
			rm -rf "$tmp"; exit 1
		fi
		mv "$tmp"/*.tgz "$tgz"; rm -rf "$tmp"
	fi
	got=$(sri "$tgz")
	if [ "$got" != "$want" ]; then
		echo "fetch: error: integrity mismatch for $pkg@$ver" >&2
		echo "  pinned:     $want" >&2
		echo "  downloaded: $got" >&2
		echo "fetch: the tarball was removed; if the pin in $manifest is wrong, fix it there" >&2
		rm -f "$tgz"; exit 1
	fi
	rm -rf "$out"; mkdir -p "$out"
	tar -xzf "$tgz" -C "$out" --strip-components=1
	echo "$ver $want" > "$out/.cidx-version"
	echo "fetch: $pkg@$ver verified ($role)"
done
