#!/bin/bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the last line that runs on Node 20) from the npm
# registry into .tools/code-server/ (git-ignored), for the real-extension-host tests.
# Needs only the npm registry and Debian packages:
#   apt-get install -y --no-install-recommends build-essential python3 pkg-config libkrb5-dev ripgrep
# Idempotent: exits at once when that version is already installed. Usage: install-code-server.sh [DEST]
set -euo pipefail
VERSION=4.100.3
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEST=${1:-$ROOT/.tools/code-server}
BIN="$DEST/node_modules/code-server/out/node/entry.js"
# Written last, after every check below passed: an interrupted install is redone.
MARKER="$DEST/.installed-$VERSION"

installed_version() {
  node -p "require('$DEST/node_modules/code-server/package.json').version" 2>/dev/null || true
}
if [ -f "$MARKER" ] && [ -f "$BIN" ] && [ "$(installed_version)" = "$VERSION" ]; then
  echo "code-server $VERSION already installed in $DEST"
  exit 0
fi
rm -f "$DEST"/.installed-*

for tool in rg cc make python3 pkg-config; do
  command -v "$tool" >/dev/null || { echo "missing '$tool': apt-get install build-essential python3 pkg-config libkrb5-dev ripgrep" >&2; exit 1; }
done

mkdir -p "$DEST/.tmp/vscode-ripgrep-cache-1.15.11" "$DEST/.tmp/rg"
# @vscode/ripgrep@1.15.11's postinstall otherwise downloads this asset from api.github.com;
# it honours a pre-seeded cache under $TMPDIR, so hand it Debian's rg.
cp "$(command -v rg)" "$DEST/.tmp/rg/rg"
tar czf "$DEST/.tmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$DEST/.tmp/rg" rg

cd "$DEST"
# npm 11 blocks dependency install scripts unless allowed, and refuses --allow-scripts (flag or
# environment) in a project-scoped install. code-server's postinstall runs two nested
# `npm install`s (lib/vscode, lib/vscode/extensions) that must run the install scripts of VS
# Code's native modules; when npm itself runs that postinstall it exports its allow-list to the
# nested npm as npm_config_allow_scripts, which the nested npm then rejects (EALLOWSCRIPTS).
# So: fetch without scripts, build argon2 through npm (allowScripts in package.json; code-server
# itself is marked false there because we run its postinstall ourselves), and run
# code-server's postinstall ourselves with the allow-list in an npmrc every nested npm reads
# (a copy of the user's npmrc, which keeps e.g. nodedir for offline node-gyp, plus allow-scripts).
NATIVE="@parcel/watcher,@vscode/deviceid,@vscode/ripgrep,@vscode/spdlog,@vscode/windows-process-tree,@vscode/windows-registry,kerberos,native-watchdog,node-pty,esbuild"
USER_NPMRC=$(npm config get userconfig 2>/dev/null || echo "$HOME/.npmrc")
{ [ -f "$USER_NPMRC" ] && grep -v '^allow-scripts' "$USER_NPMRC" || true; echo "allow-scripts=$NATIVE"; } > .npmrc-nested
cat > package.json <<'JSON'
{
  "name": "hpc-jobs-code-server",
  "private": true,
  "description": "code-server for the HPC Jobs extension-host tests, installed by test/vscode/install-code-server.sh",
  "allowScripts": { "argon2": true, "code-server": false }
}
JSON
export TMPDIR="$DEST/.tmp" npm_config_audit=false npm_config_fund=false
npm install --no-package-lock --ignore-scripts "code-server@$VERSION"
npm rebuild argon2
# unsafe_perm: the postinstall refuses to run as root without it (it reads the variable itself).
# yes: node-pty's install script uses `npx node-gyp`. user_agent: the postinstall picks npm by it.
(cd node_modules/code-server &&
  env npm_config_userconfig="$DEST/.npmrc-nested" npm_config_unsafe_perm=true npm_config_yes=true \
      npm_config_user_agent="npm/$(npm -v) node/$(node -v) linux x64" sh ./postinstall.sh)

if [ ! -e "$DEST/node_modules/code-server/lib/vscode/node_modules.asar" ]; then
  echo "code-server's postinstall did not finish (lib/vscode/node_modules.asar missing)" >&2
  exit 1
fi
for native in node-pty @vscode/spdlog kerberos; do
  node -e "require('$DEST/node_modules/code-server/lib/vscode/node_modules/$native')" \
    || { echo "$native did not build" >&2; exit 1; }
done
[ -x "$DEST/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] \
  || { echo "@vscode/ripgrep has no rg binary" >&2; exit 1; }
[ -d "$DEST/node_modules/code-server/lib/vscode/extensions/node_modules" ] \
  || { echo "the built-in extensions' dependencies are missing" >&2; exit 1; }
rm -rf "$DEST/.tmp"
touch "$MARKER"
echo "code-server $(installed_version) installed in $DEST"
