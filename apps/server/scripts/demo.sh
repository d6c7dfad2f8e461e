#!/usr/bin/env bash
# The newcomer's demo: installs what is missing (Node, pnpm, MariaDB and the other Debian
# servers, the workspace's dependencies), then starts a real MariaDB 1+2 and one orc node on
# SQLite that discovers it and publishes its primary to orc's internal KV store. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/../../.."
# shellcheck source=../../../tools/setup.sh
source tools/setup.sh
exec node --conditions=@orc/source --import ./tools/scripts/ts-hooks.mjs apps/server/scripts/demo.ts "$@"
