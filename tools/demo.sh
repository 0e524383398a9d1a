#!/usr/bin/env bash
# Builds hark and classifies a sample call: a real voicemail greeting and beep from the
# corpus, and a real "hello" answered by a person, shown as a table.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cargo build --release --locked -q -p hark-cli
sample=testdata/corpus/machine-0074-asterisk-allison.wav
[ -f "$sample" ] || sample=$(ls testdata/corpus/machine-*.wav | head -n 1)
target/release/hark classify --format table "$sample" testdata/corpus/human-0089-asterisk-allison.wav
