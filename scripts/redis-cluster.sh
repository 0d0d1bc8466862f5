#!/usr/bin/env bash
# Starts (or stops) a throwaway Redis Cluster of three masters on loopback, for the store's cluster test:
#   scripts/redis-cluster.sh start [first-port]   prints the URL to give REDIS_CLUSTER_URL
#   scripts/redis-cluster.sh stop [first-port]
# No persistence, no replicas: it exists to make Redis refuse what a cluster refuses (keys in other slots, scripts
# without declared keys), not to keep data.
set -euo pipefail
cmd="${1:-start}" first="${2:-7101}"
ports=("$first" "$((first + 1))" "$((first + 2))")
dir="${TMPDIR:-/tmp}/wco-redis-cluster-$first"

if [ "$cmd" = stop ]; then
  for port in "${ports[@]}"; do redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
  rm -rf "$dir"
  exit 0
fi

if redis-cli -h 127.0.0.1 -p "$first" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; then
  echo "redis://127.0.0.1:$first"
  exit 0
fi
rm -rf "$dir" && mkdir -p "$dir"
for port in "${ports[@]}"; do
  mkdir -p "$dir/$port"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --dir "$dir/$port" --save "" --appendonly no \
    --cluster-enabled yes --cluster-config-file "$dir/$port/nodes.conf" --cluster-node-timeout 2000 \
    --logfile "$dir/$port/redis.log" >/dev/null
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
done
redis-cli --cluster create "${ports[@]/#/127.0.0.1:}" --cluster-replicas 0 --cluster-yes >"$dir/create.log" 2>&1
for _ in $(seq 1 100); do
  if redis-cli -h 127.0.0.1 -p "$first" cluster info | grep -q 'cluster_state:ok'; then
    echo "redis://127.0.0.1:$first"
    exit 0
  fi
  sleep 0.1
done
echo "redis cluster did not come up; see $dir" >&2
exit 1
