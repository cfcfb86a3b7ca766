#!/usr/bin/env bash
# Prints the section of CHANGELOG.md for one version (its text under "## [X.Y.Z]", up to the next "## "
# heading): the notes of its GitHub release. Fails when the section is missing or empty.
set -euo pipefail
version=${1:?usage: scripts/release-notes.sh X.Y.Z [CHANGELOG.md]}
changelog=${2:-CHANGELOG.md}
# The heading ends with "]", so 1.0.1 never matches 1.0.10; leading blank lines are dropped, and $(...) drops the
# trailing ones.
notes=$(awk -v heading="## [$version]" 'index($0, "## ") == 1 { inside = index($0, heading) == 1; next } inside' "$changelog" |
  sed -e '/./,$!d')
if [ -z "$notes" ]; then
  echo "release-notes: $changelog has no section \"## [$version]\", or it is empty" >&2
  exit 1
fi
printf '%s\n' "$notes"
