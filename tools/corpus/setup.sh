#!/bin/sh
# Install what tools/corpus/make_corpus.py needs on a fresh Debian (or Ubuntu) machine:
# sox, espeak-ng, flite, Asterisk's recorded English prompts (8 kHz WAV) and python3.
# Run as root or with sudo available.  The generator itself needs no network.
set -eu

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends \
    sox espeak-ng flite asterisk-core-sounds-en asterisk-core-sounds-en-wav python3

# Show the versions (byte-identical output needs the versions listed in testdata/CORPUS.md).
dpkg -s sox espeak-ng flite asterisk-core-sounds-en-wav | grep -E '^(Package|Version)'
