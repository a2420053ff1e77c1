#!/usr/bin/env bash
# Installs what Tidemark needs to build (profile "run") or to test (profile "test").
# System packages: installed with apt-get when running as root, otherwise the exact
# `sudo apt-get install ...` line is printed and the script stops.
set -euo pipefail
profile="${1:-run}"

pkgs=(pkg-config gcc libgtk-3-dev libwebkit2gtk-4.1-dev nodejs npm)
# A PostgreSQL server for the sample instance (and the tests); contrib ships inside postgresql-NN on Debian.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  pkgs+=(postgresql)
fi
if [ "$profile" = test ]; then
  pkgs+=(xvfb xauth chromium imagemagick git pgbouncer)
fi

missing=()
for p in "${pkgs[@]}"; do
  # nodejs/npm may come from elsewhere (nodesource, nvm): accept the commands.
  case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Tidemark needs these system packages:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if ! command -v go >/dev/null 2>&1; then
  echo "Go 1.25 or newer is needed: https://go.dev/dl/ (or set PATH to include /usr/local/go/bin)" >&2
  exit 1
fi

go mod download

if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
  (cd frontend && npm ci --no-audit --no-fund)
fi
