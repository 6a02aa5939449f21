#!/usr/bin/env bash
# Set up and open the cockpit. On first start it builds the warehouse from the bundled sample.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# first start: demo accounts for the sample programme (only when there is no accounts store yet)
.venv/bin/python -m accounts demo
exec .venv/bin/python scripts/serve.py --server.port "${PORT:-8501}" "$@"
