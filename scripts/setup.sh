#!/usr/bin/env bash
# Set up everything the cockpit and its tests need on a fresh Debian 12 machine with Python 3.11.
#   bash scripts/setup.sh          # the app: Chromium and Chinese fonts (the briefing's server-side
#                                  # images), Python packages in .venv
#   bash scripts/setup.sh --dev    # + test tools
# Debian packages are installed with apt (root or sudo) only when missing, Python packages only
# when the pinned versions are not all there: a machine that has everything needs neither root
# nor the network.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- Debian packages -------------------------------------------------------------------------
# each check captures its output first: `fc-list | grep -q` under pipefail fails at random
# (grep exits at the first match and fc-list dies of SIGPIPE)
fonts=$(fc-list 2>/dev/null || true)
have_font() { [[ "$fonts" == *"$1"* ]]; }
have_deb() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]; }

need=()
[[ -x /usr/bin/chromium ]] || need+=(chromium)
have_font "Noto Sans CJK" || have_deb fonts-noto-cjk || need+=(fonts-noto-cjk)
have_font "Noto Color Emoji" || have_deb fonts-noto-color-emoji || need+=(fonts-noto-color-emoji)

apt_run() {
  # another apt (unattended upgrades, a colleague) may hold the dpkg lock: wait for it (10 min)
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
}

if ((${#need[@]})); then
  echo "安装系统软件包：${need[*]}"
  # the package lists are refreshed only when apt cannot find a package
  apt_run install -y -q --no-install-recommends "${need[@]}" 2>/dev/null || {
    apt_run update -q
    apt_run install -y -q --no-install-recommends "${need[@]}"
  }
fi

# --- Python packages -------------------------------------------------------------------------
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
[[ -x .venv/bin/python ]] || "$PY" -m venv .venv
req=requirements.txt
[[ "${1:-}" == "--dev" ]] && req=requirements-dev.txt

# every pinned `name==version` line (requirements-dev.txt includes requirements.txt via -r)
pins_met() {
  .venv/bin/python - "$1" <<'PY'
import re, sys
from importlib import metadata
from pathlib import Path

def pins(path):
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r"):
            yield from pins(Path(path).parent / line[2:].strip())
        elif m := re.match(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==([^\s;]+)", line):
            yield m[1], m[3]

for name, version in pins(sys.argv[1]):
    try:
        if metadata.version(name) != version:
            sys.exit(1)
    except metadata.PackageNotFoundError:
        sys.exit(1)
PY
}

if ! pins_met "$req"; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r "$req"
fi
