#!/usr/bin/env bash
# The package as a user gets it: pack the tarball, check what it ships, install it into a scratch project
# without the registry (it has no dependencies), and run the installed CLI: --version, init, check. Then run the
# action's bundle from a folder with no node_modules above it, to prove both bundles are self-contained.
# Run it after `npm run build`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VERSION=$(node -p 'require("./package.json").version')
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/aivss-gate-pack-XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
fail() {
  echo "pack-smoke: $*" >&2
  exit 1
}

# 1. Pack, and ship only the whitelist.
npm pack --silent --pack-destination "$SCRATCH" >/dev/null
TARBALL="$SCRATCH/aivss-gate-$VERSION.tgz"
[ -f "$TARBALL" ] || fail "npm pack did not write $TARBALL"
FILES=$(tar -tzf "$TARBALL" | sed 's|^package/||' | sort)
# The CLI's bundle is every file the build wrote to dist/cli/ (index.js, and any chunk it loads on demand).
EXPECTED=$(printf '%s\n' CHANGELOG.md LICENSE README.md docs/factors.md package.json \
  schema/config.schema.json schema/report.schema.json schema/threat-model.schema.json $(cd dist && find cli -type f | sed 's|^|dist/|') | sort)
[ "$FILES" = "$EXPECTED" ] || fail "the tarball ships other files than the whitelist:
$(diff <(echo "$EXPECTED") <(echo "$FILES") || true)"
git ls-files --stage dist/cli/index.js | grep -q '^100755 ' ||
  fail "dist/cli/index.js is committed without its execute bit: git update-index --chmod=+x dist/cli/index.js"
tar -tvzf "$TARBALL" package/dist/cli/index.js | grep -q '^-rwx' || fail "dist/cli/index.js is not executable in the tarball"
node -e 'const p = require(process.argv[1]); if (Object.keys(p.dependencies ?? {}).length) process.exit(1)' "$ROOT/package.json" ||
  fail "the package has runtime dependencies: the bundles contain them, move them to devDependencies"

# 2. Install it offline into a scratch project, as `npm install aivss-gate` would.
PROJECT="$SCRATCH/project"
mkdir -p "$PROJECT"
cd "$PROJECT"
echo '{ "name": "scratch", "private": true }' >package.json
npm install --offline --no-audit --no-fund --silent "$TARBALL"

# 3. The first five minutes: the version, init in a fresh repository, then check: the starter model is valid
# and unscored until it is given a CVSS base, and a critical model fails. After npx, the bin is run as it is
# installed (each npx costs a second or more), which needs its execute bit and its shebang.
[ "$(npx --no-install aivss-gate --version)" = "$VERSION" ] || fail "npx aivss-gate --version is not $VERSION"
BIN=node_modules/.bin/aivss-gate
git init --quiet .
"$BIN" init --agent support-bot >/dev/null
# Prints the exit status, then the number of models, invalid and unscored ones, and the worst score.
check() {
  status=0
  "$BIN" check --format json "$@" >report.json || status=$?
  echo "$status $(node -p 'const { summary: s } = require("./report.json"); [s.models, s.invalid, s.unscored, s.worst?.score].join(" ")')"
}
expect_check() {
  local expected=$1 got
  shift
  got=$(check "$@")
  [ "$got" = "$expected" ] || fail "aivss-gate check $*: expected '$expected' (status, models, invalid, unscored, worst), got '$got'"
}
expect_check '1 1 0 1 ' # the starter model, valid and unscored
cp "$ROOT/examples/faq-bot.threat-model.yaml" "$ROOT/examples/release-ops-agent.threat-model.yaml" threat-models/
expect_check '0 1 0 0 3.8' threat-models/faq-bot.threat-model.yaml
expect_check '1 3 0 1 9.8'

# 4. The action's bundle (index.js and the chunks it loads on demand), alone in a folder: it scans the scratch
# project and writes its outputs.
ACTION="$SCRATCH/action"
mkdir -p "$ACTION"
cp "$ROOT"/dist/*.js "$ROOT/dist/package.json" "$ACTION/"
: >"$SCRATCH/outputs"
env -i PATH="$PATH" HOME="$SCRATCH" RUNNER_TEMP="$SCRATCH" GITHUB_WORKSPACE="$PROJECT" GITHUB_OUTPUT="$SCRATCH/outputs" \
  INPUT_PATHS=threat-models/faq-bot.threat-model.yaml INPUT_COMMENT=off node "$ACTION/index.js" >/dev/null ||
  fail "the action's bundle failed on its own"
grep -A1 '^verdict<<' "$SCRATCH/outputs" | grep -qx pass || fail "the action's bundle gave no passing verdict"

echo "pack-smoke: aivss-gate-$VERSION.tgz ships $(echo "$FILES" | wc -l) files, installs offline, and runs"
