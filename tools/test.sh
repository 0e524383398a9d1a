#!/usr/bin/env bash
# The README's test command: sets up what the tests need, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cargo test --workspace --locked
