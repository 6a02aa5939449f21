#!/usr/bin/env bash
# Serve the cockpit from N Streamlit processes behind nginx, with sticky sessions.
#
#   bash scripts/deploy.sh start [N] [PORT]   # N processes (default: the number of cores) on
#                                             # 127.0.0.1:BASE+1..BASE+N, nginx on PORT (default 8500)
#   bash scripts/deploy.sh stop               # stop what `start` started (by its pid files)
#   bash scripts/deploy.sh status
#
# A Streamlit session lives in one process (its websocket, uploads, sign-in), so nginx sends
# every request of a browser to the same process: the first response sets a `cockpit_route`
# cookie and requests are hashed on it (consistent hashing, so adding a process moves few
# browsers). All processes read the same published warehouse state read-only; a load from
# any of them (or `python -m etl load`) publishes a new state that every process picks up.
# docs/deploy.md explains the set-up and what more processes bring.
#
# Settings: COCKPIT_RUN (run folder: config, pid files, logs; default data/run),
# COCKPIT_BASE_PORT (default 8600), COCKPIT_BIND (nginx listen address, default 0.0.0.0),
# COCKPIT_CPUS (a comma list of cores: process i runs on the i-th, round robin; unset: every
# process may use every core), and every COCKPIT_* setting of the README for the processes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUN=${COCKPIT_RUN:-$ROOT/data/run}
BASE=${COCKPIT_BASE_PORT:-8600}
BIND=${COCKPIT_BIND:-0.0.0.0}
PY=${COCKPIT_PYTHON:-$ROOT/.venv/bin/python}

need_nginx() {
  command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] && return 0
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx-light
}

nginx_bin() { command -v nginx 2>/dev/null || echo /usr/sbin/nginx; }

wait_health() {  # url, seconds
  local url=$1 until=$((SECONDS + $2))
  while ((SECONDS < until)); do
    "$PY" - "$url" <<'EOF' && return 0
import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except OSError:
    sys.exit(1)
EOF
    sleep 0.5
  done
  return 1
}

write_nginx_conf() {  # N PORT
  local n=$1 port=$2 servers="" i
  for ((i = 1; i <= n; i++)); do servers+="        server 127.0.0.1:$((BASE + i)) max_fails=0;"$'\n'; done
  mkdir -p "$RUN/nginx"
  cat >"$RUN/nginx.conf" <<EOF
# written by scripts/deploy.sh
worker_processes 1;
pid $RUN/nginx.pid;
error_log $RUN/nginx-error.log warn;
events { worker_connections 4096; }
http {
    client_body_temp_path $RUN/nginx/body;
    proxy_temp_path $RUN/nginx/proxy;
    fastcgi_temp_path $RUN/nginx/fastcgi;
    uwsgi_temp_path $RUN/nginx/uwsgi;
    scgi_temp_path $RUN/nginx/scgi;
    log_format cockpit '\$remote_addr [\$time_local] "\$request" \$status \$upstream_addr route=\$route_key';
    access_log $RUN/nginx-access.log cockpit;

    # sticky sessions: a browser without the cookie gets one named after its first request
    map \$cookie_cockpit_route \$route_key {
        ""      \$request_id;
        default \$cookie_cockpit_route;
    }
    map \$cookie_cockpit_route \$route_cookie {
        ""      "cockpit_route=\$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }
    map \$http_upgrade \$connection_upgrade {
        default upgrade;
        ""      close;
    }
    upstream cockpit {
        hash \$route_key consistent;
$servers    }
    server {
        listen $BIND:$port;
        client_max_body_size $(( ${COCKPIT_MAX_UPLOAD_MB:-20} + 5 ))m;
        location / {
            proxy_pass http://cockpit;
            proxy_http_version 1.1;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection \$connection_upgrade;
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$remote_addr;  # the client as nginx sees it, never what it wrote
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_read_timeout 1d;
            proxy_send_timeout 1d;
            proxy_buffering off;
            proxy_request_buffering off;
            add_header Set-Cookie \$route_cookie always;
        }
    }
}
EOF
}

start() {
  local n=${1:-$(nproc)} port=${2:-8500} i
  mkdir -p "$RUN"
  [[ -f $RUN/nginx.pid ]] && kill -0 "$(cat "$RUN/nginx.pid")" 2>/dev/null && { echo "已在运行（$RUN）"; exit 1; }
  need_nginx
  # one build of the sample on a fresh machine, before the processes (each would start its own)
  "$PY" -m etl bootstrap
  # the same cookie secret in every process (XSRF tokens and sign-in cookies stay valid across them)
  [[ -f $RUN/cookie_secret ]] || "$PY" -c "import secrets; print(secrets.token_hex(32))" >"$RUN/cookie_secret"
  local cpus=() pin=()
  [[ -n ${COCKPIT_CPUS:-} ]] && IFS=, read -r -a cpus <<<"$COCKPIT_CPUS"
  for ((i = 1; i <= n; i++)); do
    local p=$((BASE + i))
    ((${#cpus[@]})) && pin=(taskset -c "${cpus[(i - 1) % ${#cpus[@]}]}")
    STREAMLIT_SERVER_COOKIE_SECRET="$(cat "$RUN/cookie_secret")" \
      COCKPIT_TRUSTED_PROXIES="${COCKPIT_TRUSTED_PROXIES:-127.0.0.1}" \
      "${pin[@]}" "$PY" -m streamlit run app.py --server.port "$p" --server.address 127.0.0.1 --server.headless true \
      >"$RUN/streamlit-$p.log" 2>&1 &
    echo $! >"$RUN/streamlit-$p.pid"
  done
  for ((i = 1; i <= n; i++)); do
    wait_health "http://127.0.0.1:$((BASE + i))/_stcore/health" 90 || { echo "进程 $((BASE + i)) 未能启动，见 $RUN/streamlit-$((BASE + i)).log"; stop; exit 1; }
  done
  write_nginx_conf "$n" "$port"
  "$(nginx_bin)" -c "$RUN/nginx.conf" -p "$RUN" -g "daemon on;"
  wait_health "http://127.0.0.1:$port/_stcore/health" 30 || { echo "nginx 未能启动，见 $RUN/nginx-error.log"; stop; exit 1; }
  echo "驾驶舱已启动：http://$(hostname -f 2>/dev/null || hostname):$port/ （$n 个进程，端口 $((BASE + 1))-$((BASE + n))）"
}

stop() {
  if [[ -f $RUN/nginx.pid ]]; then
    "$(nginx_bin)" -c "$RUN/nginx.conf" -p "$RUN" -s quit 2>/dev/null || kill "$(cat "$RUN/nginx.pid")" 2>/dev/null || true
    rm -f "$RUN/nginx.pid"
  fi
  local f pids=() pid i
  for f in "$RUN"/streamlit-*.pid; do
    [[ -f $f ]] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null && pids+=("$pid")
    rm -f "$f"
  done
  for ((i = 0; i < 20; i++)); do  # up to 10 s to finish, then stop it outright
    local alive=()
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    ((${#alive[@]})) || break
    pids=("${alive[@]}")
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null; done
  echo "已停止"
}

status() {
  local f
  [[ -f $RUN/nginx.pid ]] && kill -0 "$(cat "$RUN/nginx.pid")" 2>/dev/null && echo "nginx: 运行中" || echo "nginx: 未运行"
  for f in "$RUN"/streamlit-*.pid; do
    [[ -f $f ]] || continue
    kill -0 "$(cat "$f")" 2>/dev/null && echo "$(basename "$f" .pid): 运行中" || echo "$(basename "$f" .pid): 未运行"
  done
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
