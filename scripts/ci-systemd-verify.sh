#!/usr/bin/env bash
# CI fragment: check units/clawpatrol.service with systemd-analyze verify, both as shipped and
# rendered the way `clawpatrol install` renders it (absolute node + dist/src/cli/main.js).
# Installs systemd from Debian packages when systemd-analyze is missing. Any warning fails.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "ci-systemd-verify: systemd-analyze not found; installing systemd (apt-get)"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends systemd
fi
systemd-analyze --version | head -1

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/runtime"
chmod 700 "$work/runtime"

node_bin="$(command -v node)"
main_js="$PWD/dist/src/cli/main.js"
rendered="$work/clawpatrol.service"
if [ -f dist/src/systemd/unit.js ]; then
  # The installer's own renderer, so CI checks exactly what users get.
  node --input-type=module -e '
    const [tmplPath, out, nodePath, mainPath] = process.argv.slice(1);
    const { renderUnit } = await import(process.cwd() + "/dist/src/systemd/unit.js");
    const fs = await import("node:fs");
    fs.writeFileSync(out, renderUnit(fs.readFileSync(tmplPath, "utf8"), { nodePath, mainPath }));
  ' units/clawpatrol.service "$rendered" "$node_bin" "$main_js"
else
  echo "ci-systemd-verify: dist/ not built; rendering ExecStart= with sed"
  sed "s|^ExecStart=.*|ExecStart=$node_bin $main_js run|" units/clawpatrol.service > "$rendered"
fi
grep -q "^ExecStart=$node_bin " "$rendered"

status=0
for file in units/clawpatrol.service "$rendered"; do
  for mode in --user --system; do
    out="$(XDG_RUNTIME_DIR="$work/runtime" systemd-analyze "$mode" verify "$file" 2>&1)" || status=1
    if [ -n "$out" ]; then
      echo "ci-systemd-verify: $file ($mode):"
      echo "$out"
      status=1
    else
      echo "ci-systemd-verify: $file ($mode): clean"
    fi
  done
done
exit $status
