#!/usr/bin/env bash
# Pack the package as npm would publish it, then lint the tarball: publint for the package.json
# and exports, attw for types under each resolution mode (node16 profile: subpath exports).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.js ] || npm run build
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
tarball=$(npm pack --silent --pack-destination "$out" 2>/dev/null | tail -n 1)
npx --no-install publint run "$out/$tarball" --strict
npx --no-install attw "$out/$tarball" --profile node16
