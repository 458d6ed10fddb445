#!/usr/bin/env bash
# Fetches, verifies and unpacks the default model pack (the MIT-licensed npm package
# faceplugin-face-recognition-js@0.0.1) at build time. Model weights are never committed.
#
#   scripts/fetch-model-pack.sh OUT_DIR DESCRIPTOR [CACHE_DIR]
#
#   OUT_DIR     where the pack is assembled, e.g. encoder/target/model-packs/default
#   DESCRIPTOR  the committed pack descriptor (pack.json), copied next to the models
#   CACHE_DIR   where the npm tarball is kept between builds
#               (default: $FACE_SEARCH_CACHE/npm, FACE_SEARCH_CACHE defaulting to ~/.cache/face-search)
#
# The package is fetched by name with `npm pack`, so npm's own configuration decides where it
# comes from. Everything is checked against pinned SHA-256 sums; a second run with a complete
# pack only re-hashes the files and returns. Exits non-zero with a message saying what is missing.
set -euo pipefail

readonly PACKAGE=faceplugin-face-recognition-js
readonly VERSION=0.0.1
readonly TARBALL="$PACKAGE-$VERSION.tgz"
readonly TARBALL_SHA256=7ea06031d9a3f83753254fcff60506a07b81b46fc84d4ee024cd041f260ec1ba
readonly MODELS=(fr_detect.onnx fr_landmark.onnx fr_feature.onnx)
readonly MODEL_SHA256=(
  6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854
  f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258
  87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581
)

die() { echo "fetch-model-pack: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: $0 OUT_DIR DESCRIPTOR [CACHE_DIR]"
out=$1
descriptor=$2
cache=${3:-${FACE_SEARCH_CACHE:-$HOME/.cache/face-search}/npm}
[ -f "$descriptor" ] || die "pack descriptor $descriptor not found"

# sha256sum on Linux, shasum on macOS: whichever exists.
if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d' ' -f1; }
else
  die "neither sha256sum nor shasum is installed; one is needed to verify the model pack"
fi

pack_complete() {  # true when OUT_DIR already holds verified models and the current descriptor
  local i
  for i in "${!MODELS[@]}"; do
    [ -f "$out/${MODELS[$i]}" ] || return 1
    [ "$(sha256 "$out/${MODELS[$i]}")" = "${MODEL_SHA256[$i]}" ] || return 1
  done
  [ -f "$out/pack.json" ] && cmp -s "$descriptor" "$out/pack.json"
}

if pack_complete; then
  exit 0
fi

mkdir -p "$cache" "$out"
# Work in a private temp dir inside the cache so that concurrent builds never see half a file:
# finished files are moved into place with mv, which is atomic on one file system.
work=$(mktemp -d "$cache/.fetch.XXXXXX")
unpack=$(mktemp -d "$out/.unpack.XXXXXX")
trap 'rm -rf "$work" "$unpack"' EXIT

cached="$cache/$TARBALL"
if [ -f "$cached" ] && [ "$(sha256 "$cached")" = "$TARBALL_SHA256" ]; then
  echo "fetch-model-pack: using cached $cached" >&2
else
  if [ -f "$cached" ]; then
    echo "fetch-model-pack: cached $cached has the wrong SHA-256; downloading it again" >&2
  fi
  command -v npm >/dev/null 2>&1 || die "npm is not installed and no verified copy of $TARBALL is cached in $cache.
  Install Node.js/npm (it downloads the model pack: npm pack $PACKAGE@$VERSION), or put the
  tarball there yourself (SHA-256 $TARBALL_SHA256)."
  echo "fetch-model-pack: npm pack $PACKAGE@$VERSION (about 41 MB)" >&2
  if ! (cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >"$work/npm.out" 2>"$work/npm.err"); then
    cat "$work/npm.err" >&2
    die "could not download $PACKAGE@$VERSION with npm (is the npm registry reachable?), and no
  verified copy is cached in $cache. Connect to the network, or put $TARBALL there yourself
  (SHA-256 $TARBALL_SHA256), then build again."
  fi
  [ -f "$work/$TARBALL" ] || die "npm pack did not produce $TARBALL (it said: $(cat "$work/npm.out"))"
  actual=$(sha256 "$work/$TARBALL")
  [ "$actual" = "$TARBALL_SHA256" ] || die "downloaded $TARBALL has SHA-256 $actual, expected $TARBALL_SHA256; refusing it"
  mv -f "$work/$TARBALL" "$cached"
fi

members=()
for m in "${MODELS[@]}"; do members+=("package/model/$m"); done
tar -xzf "$cached" -C "$unpack" "${members[@]}" || die "could not extract ${members[*]} from $cached"

for i in "${!MODELS[@]}"; do
  f="$unpack/package/model/${MODELS[$i]}"
  actual=$(sha256 "$f")
  [ "$actual" = "${MODEL_SHA256[$i]}" ] || die "${MODELS[$i]} in $TARBALL has SHA-256 $actual, expected ${MODEL_SHA256[$i]}"
done
for m in "${MODELS[@]}"; do
  mv -f "$unpack/package/model/$m" "$out/$m"
done
cp "$descriptor" "$unpack/pack.json"
mv -f "$unpack/pack.json" "$out/pack.json"
echo "fetch-model-pack: default model pack ready in $out" >&2
