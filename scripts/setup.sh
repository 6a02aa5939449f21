#!/usr/bin/env bash
# Set up everything the cockpit and its tests need on a fresh Debian 12 machine with Python 3.11.
#   bash scripts/setup.sh          # the app: Chromium and Chinese fonts (the briefing's server-side
#                                  # images), Python packages in .venv
#   bash scripts/setup.sh --dev    # + test tools
# Debian packages are installed with apt (root or sudo) only when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if true; then
  need=()
  [[ -x /usr/bin/chromium ]] || need+=(chromium)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
  [[ -d /usr/share/fonts/truetype/noto ]] && fc-list 2>/dev/null | grep -qi "Noto Color Emoji" || need+=(fonts-noto-color-emoji)
  if ((${#need[@]})); then
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
  fi
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
[[ -x .venv/bin/python ]] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [[ "${1:-}" == "--dev" ]]; then
  .venv/bin/python -m pip install -q -r requirements-dev.txt
else
  .venv/bin/python -m pip install -q -r requirements.txt
fi
