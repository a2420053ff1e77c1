#!/usr/bin/env bash
# Desktop smoke test: the production binary (desktop,production,webkit2_41) under Xvfb with a
# fresh workspace. Passes when the window has drawn the UI: a screenshot of the Tidemark window must hold
# more than a handful of colours (a blank or failed webview is one or two flat colours).
# Needs Xvfb and ImageMagick.
# Then a second instance on the same workspace must exit 1 with a message.
# The screenshot is kept at build/bin/smoke.png. Set SMOKE_BIN to test an already built binary.
set -euo pipefail
cd "$(dirname "$0")/.."

min_colours=${SMOKE_MIN_COLOURS:-64}
timeout=${SMOKE_TIMEOUT:-60}
tmp=$(mktemp -d -t tidemark-smoke-XXXXXX)
chmod 755 "$tmp" # as root, the sample server user must be able to reach the workspace
pids=()
cleanup() {
  local code=$?
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    local pid=${pids[i]}
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  if [ $code -ne 0 ] && [ -s "$tmp/app.log" ]; then
    echo "--- app log (tail) ---"
    tail -n 40 "$tmp/app.log"
  fi
  rm -rf "$tmp"
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bin=${SMOKE_BIN:-}
if [ -z "$bin" ]; then
  if [ ! -f frontend/dist/index.html ]; then
    [ -d frontend/node_modules ] || (cd frontend && npm ci --no-audit --no-fund)
    (cd frontend && npx vite build --logLevel warn && : >dist/.gitkeep)
  fi
  echo "smoke: building the production desktop binary"
  mkdir -p build/bin
  go build -tags desktop,production,webkit2_41 -o build/bin/tidemark .
  bin=build/bin/tidemark
fi

Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$tmp/display" ] && break; sleep 0.2; done
[ -s "$tmp/display" ] || { echo "smoke: Xvfb did not start" >&2; cat "$tmp/xvfb.log" >&2; exit 1; }
export DISPLAY=":$(cat "$tmp/display")"

mkdir -p "$tmp/home"
echo "smoke: starting $bin on display $DISPLAY"
TIDEMARK_HOME="$tmp/home" WEBKIT_DISABLE_DMABUF_RENDERER=1 WEBKIT_DISABLE_COMPOSITING_MODE=1 NO_AT_BRIDGE=1 \
  "$bin" >"$tmp/app.log" 2>&1 &
app=$!
pids+=($app)

shot=build/bin/smoke.png
colours=0
# The window titled "Tidemark" (xwininfo comes with x11-utils, a dependency of chromium);
# the picture is of that window only, so an empty screen or another window cannot pass.
window_id() {
  xwininfo -root -tree 2>/dev/null | awk '/"Tidemark": \(/ && $NF != "" { id = $1; w = $0 } END { if (id) print id }'
}
for _ in $(seq 1 "$timeout"); do
  sleep 1
  kill -0 $app 2>/dev/null || { echo "smoke: the app exited early" >&2; exit 1; }
  id=$(window_id)
  [ -n "$id" ] || continue
  timeout 10 import -window "$id" "$tmp/shot.png" 2>/dev/null || continue
  colours=$(convert "$tmp/shot.png" -format %k info:)
  if [ "$colours" -gt "$min_colours" ]; then
    # let late fonts and data settle, then keep the final picture
    sleep 2
    timeout 10 import -window "$id" "$tmp/shot.png"
    colours=$(convert "$tmp/shot.png" -format %k info:)
    break
  fi
done
mkdir -p build/bin
cp "$tmp/shot.png" "$shot" 2>/dev/null || true
if [ "$colours" -le "$min_colours" ]; then
  echo "smoke: FAILED: no Tidemark window with more than $min_colours colours after ${timeout}s (last: $colours); see $shot" >&2
  exit 1
fi
kill -0 $app 2>/dev/null || { echo "smoke: the app exited" >&2; exit 1; }
echo "smoke: the window drew $colours colours; screenshot $shot"

# A second window on the same workspace must be refused with a message, not open.
set +e
TIDEMARK_HOME="$tmp/home" NO_AT_BRIDGE=1 timeout 30 "$bin" >"$tmp/second.log" 2>&1
second=$?
set -e
if [ $second -ne 1 ]; then
  echo "smoke: FAILED: a second instance on the same workspace exited $second, want 1" >&2
  cat "$tmp/second.log" >&2
  exit 1
fi
echo "smoke: a second instance is refused: $(head -n 1 "$tmp/second.log")"
echo "smoke: 2 passed, 0 failed"
