#!/bin/bash
# Builds the Debian package the Debian way: dpkg-buildpackage -b -us -uc
# in a copy of the source tree (so this tree's build/ is left alone), then
# lintian.  Leaves build/deb/hotshim_VERSION_amd64.deb and lintian.txt.
#
#   tools/deb.sh       (make deb)
set -euo pipefail
cd "$(dirname "$0")/.."
ver=$(dpkg-parsechangelog -S Version)
out=build/deb
src=$out/src/hotshim-$ver
rm -rf "$out/src"
mkdir -p "$src"
# the files git knows of (committed or not), as a clean clone would have them
git ls-files -co --exclude-standard -z | grep -zv '^build/' | tar -cf - --null -T - | tar -xf - -C "$src"
(cd "$src" && dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1 ||
	{ tail -n 30 "$out/build.log"; echo "deb: dpkg-buildpackage failed (see $out/build.log)" >&2; exit 1; }
mv "$out/src/hotshim_${ver}_amd64.deb" "$out/src/hotshim_${ver}_amd64.changes" "$out/"
rm -rf "$out/src"
# lintian at pedantic level, overrides shown: nothing of level error may remain
lintian -EvIL +pedantic --show-overrides --tag-display-limit 0 --fail-on error \
	"$out/hotshim_${ver}_amd64.deb" >"$out/lintian.txt" 2>&1 ||
	{ cat "$out/lintian.txt"; echo "deb: lintian reports errors" >&2; exit 1; }
echo "deb: $out/hotshim_${ver}_amd64.deb ($(stat -c %s "$out/hotshim_${ver}_amd64.deb") bytes), lintian: $(grep -c '^[EWIPX]:' "$out/lintian.txt" || true) tags"
