#!/usr/bin/env bash
# End-to-end test: the dev-tag desktop binary under Xvfb serves the built UI with the real Go
# bindings; Playwright in Debian's Chromium drives it against a password-protected throwaway
# PostgreSQL cluster. Screenshots of every step go to frontend/e2e/out/.
#
# Needs: go, node (frontend/node_modules installed), Xvfb, /usr/bin/chromium, PostgreSQL server
# binaries. Exits non-zero on any failure; every process it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

tmp=$(mktemp -d -t tidemark-e2e-XXXXXX)
# As root the sample instance's server runs as the postgres user, which must traverse the
# workspace to keep its cluster there (and so be deleted with it) instead of /var/lib/tidemark.
chmod 755 "$tmp"
pids=()
cleanup() {
  local code=$?
  # Stop in reverse order: the app (its shutdown stops pools), then PostgreSQL, then X.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    local pid=${pids[i]}
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  if [ $code -ne 0 ]; then
    for log in app pg xvfb; do
      [ -s "$tmp/$log.log" ] && { echo "--- $log log (tail) ---"; tail -n 40 "$tmp/$log.log"; }
    done
  fi
  rm -rf "$tmp"
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { echo "e2e: $*"; }

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local secs=$1 what=$2; shift 2
  for _ in $(seq 1 $((secs * 5))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "e2e: timed out after ${secs}s waiting for $what" >&2
  return 1
}

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

if [ ! -d frontend/node_modules ]; then
  step "installing frontend packages"
  (cd frontend && npm ci --no-audit --no-fund)
fi
if [ "${E2E_SKIP_BUILD:-}" != 1 ]; then
  step "building the frontend"
  (cd frontend && npx vite build --logLevel warn && : >dist/.gitkeep)
fi

step "building the dev-tag desktop binary and the test PostgreSQL runner"
mkdir -p build/bin
go build -tags dev,webkit2_41 -o build/bin/tidemark-dev .
go build -o "$tmp/pgtestserver" ./internal/pgtest/cmd/pgtestserver

step "starting PostgreSQL"
"$tmp/pgtestserver" -info "$tmp/pg.json" >"$tmp/pg.log" 2>&1 &
pids+=($!)
wait_for 120 "PostgreSQL (see pg log)" test -s "$tmp/pg.json"

step "starting Xvfb"
Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
pids+=($!)
wait_for 20 "Xvfb" test -s "$tmp/display"
export DISPLAY=":$(cat "$tmp/display")"

port=$(free_port)
step "starting tidemark-dev on 127.0.0.1:$port (workspace $tmp/home)"
mkdir -p "$tmp/home"
# Wails' dev build reads -assetdir/-devserver from the environment as well as flags.
TIDEMARK_HOME="$tmp/home" assetdir="$root/frontend/dist" devserver="127.0.0.1:$port" \
  WEBKIT_DISABLE_DMABUF_RENDERER=1 WEBKIT_DISABLE_COMPOSITING_MODE=1 NO_AT_BRIDGE=1 \
  loglevel=Warning build/bin/tidemark-dev >"$tmp/app.log" 2>&1 &
app_pid=$!
pids+=($app_pid)
if ! wait_for 60 "the dev server on port $port" node -e "fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" "http://127.0.0.1:$port/"; then
  kill -0 $app_pid 2>/dev/null || echo "e2e: tidemark-dev exited" >&2
  exit 1
fi

step "driving the UI with Playwright"
rm -rf frontend/e2e/out
E2E_DOCS_SHOT="${E2E_DOCS_SHOT:-}" TMPDIR="$tmp" E2E_URL="http://127.0.0.1:$port/" E2E_PG_INFO="$tmp/pg.json" E2E_OUT="$root/frontend/e2e/out" \
  node frontend/e2e/run.mjs

kill -0 $app_pid 2>/dev/null || { echo "e2e: tidemark-dev died during the run" >&2; exit 1; }
step "passed; screenshots in frontend/e2e/out/"
