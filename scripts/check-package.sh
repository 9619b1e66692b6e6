#!/usr/bin/env bash
# Pack the package as npm would publish it, then lint the tarball: publint for the package.json
# and exports, attw for types under each resolution mode (node16 profile: subpath exports).
set -euo pipefail
cd "$(dirname "$0")/.."
# `npm pack` builds first (prepack).
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
tarball=$(npm pack --silent --pack-destination "$out" 2>/dev/null | tail -n 1)
npx --no-install publint run "$out/$tarball" --strict
npx --no-install attw "$out/$tarball" --profile node16

# A new project installs the tarball and runs the quick start as ES module and as CommonJS, and
# sees the error classes by their own names.
app="$out/app"
mkdir -p "$app"
cp examples/quick-start/main.ts "$app/esm.mjs"
cp examples/quick-start/main.cjs "$app/cjs.cjs"
cat > "$app/names.cjs" <<'JS'
const { ValidationError, ConfigError } = require('omotenashi');
const names = [new ValidationError('x', []).name, new ConfigError('x', 'y').name];
if (names.join() !== 'ValidationError,ConfigError') throw new Error(`error names in the bundle: ${names}`);
JS
(cd "$app" && echo '{ "name": "app", "private": true }' > package.json && npm install --no-audit --no-fund --silent "$out/$tarball" >/dev/null)
for f in esm.mjs cjs.cjs; do
  result=$(cd "$app" && node "$f" | tail -n 1)
  [ "$result" = "auto_closed" ] || { echo "quick start ($f) from the tarball printed: $result"; exit 1; }
  echo "quick start from the tarball ($f): $result"
done
(cd "$app" && node names.cjs && node --input-type=module -e "import { ValidationError } from 'omotenashi'; if (new ValidationError('x', []).name !== 'ValidationError') process.exit(1);")
echo "error names: ok"

# The e-mail subpath loads from the tarball with its optional peer (postal-mime) installed, as ESM and CommonJS.
(cd "$app" && npm install --no-audit --no-fund --silent postal-mime@4.0.0 >/dev/null)
(cd "$app" && node --input-type=module -e "import { createEmailIntake, trimReply } from 'omotenashi/email'; if (typeof createEmailIntake !== 'function' || trimReply('Yes.\\n\\nOn Mon, 1 Dec 2026, A <a@b.example> wrote:\\n> x').text !== 'Yes.') process.exit(1);")
(cd "$app" && node -e "const { createEmailIntake } = require('omotenashi/email'); if (typeof createEmailIntake !== 'function') process.exit(1);")
echo "omotenashi/email from the tarball (ESM and CommonJS): ok"

# The HTTP subpath from the tarball with its optional peer (hono): a request through api.fetch, as ESM and CommonJS.
(cd "$app" && npm install --no-audit --no-fund --silent hono@4.13.19 >/dev/null)
cat > "$app/http.mjs" <<'JS'
import { createServiceDesk, createMemoryStorage } from 'omotenashi';
import { createHttpApi } from 'omotenashi/http';
const desk = createServiceDesk({ storage: createMemoryStorage() });
const customer = await desk.registerCustomer({ kind: 'external', displayName: 'Aya' });
const api = createHttpApi({ desk, authenticate: () => ({ kind: 'customer', customerId: customer.id }) });
const r = await api.fetch(new Request('http://x/tickets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"subject":"Hello"}' }));
if (r.status !== 201) throw new Error(`POST /tickets answered ${r.status}: ${await r.text()}`);
JS
(cd "$app" && node http.mjs && node -e "const { createHttpApi } = require('omotenashi/http'); if (typeof createHttpApi !== 'function') process.exit(1);")
echo "omotenashi/http from the tarball (ESM and CommonJS): ok"

# What users' bundles carry for a few imports, against budgets.
node scripts/check-size.mjs
