#!/usr/bin/env bash
# Set up and open the cockpit. On first start it builds the warehouse from the bundled sample.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run app.py --server.port "${PORT:-8501}" "$@"
