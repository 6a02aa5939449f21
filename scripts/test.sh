#!/usr/bin/env bash
# Set up (packages, Chromium, fonts) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
# test files run side by side in ${TEST_WORKERS:-3} processes (most of a browser test's time is waiting
# for the server and the browser); each file's tests stay together in one process, and the files
# are handed out in the order tests/conftest.py sorts them (the longest files first, by their measured
# seconds, then the other browser files);
# the slowest tests are listed at the end
exec .venv/bin/python -m pytest -q -n "${TEST_WORKERS:-3}" --dist loadfile --no-loadscope-reorder --durations=25 "$@"
