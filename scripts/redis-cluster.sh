#!/usr/bin/env bash
# Starts (or stops) a throwaway Redis Cluster of three masters on loopback, for the store's cluster test:
#   scripts/redis-cluster.sh start [first-port]   prints the URL to give REDIS_CLUSTER_URL
#   scripts/redis-cluster.sh stop [first-port]
# With REDIS_CLUSTER_PASSWORD set, every node requires it (requirepass, masterauth) and the URL carries it.
# No persistence, no replicas: it exists to make Redis refuse what a cluster refuses (keys in other slots, scripts
# without declared keys), not to keep data.
set -euo pipefail
cmd="${1:-start}" first="${2:-7101}"
ports=("$first" "$((first + 1))" "$((first + 2))")
dir="${TMPDIR:-/tmp}/wco-redis-cluster-$first"

pass="${REDIS_CLUSTER_PASSWORD:-}"
auth=() url="redis://127.0.0.1:$first"
if [ -n "$pass" ]; then
  auth=(-a "$pass" --no-auth-warning)
  url="redis://:$pass@127.0.0.1:$first"
fi

if [ "$cmd" = stop ]; then
  for port in "${ports[@]}"; do redis-cli "${auth[@]}" -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
  rm -rf "$dir"
  exit 0
fi

if redis-cli "${auth[@]}" -h 127.0.0.1 -p "$first" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; then
  echo "$url"
  exit 0
fi
rm -rf "$dir" && mkdir -p "$dir"
for port in "${ports[@]}"; do
  mkdir -p "$dir/$port"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --dir "$dir/$port" --save "" --appendonly no \
    --cluster-enabled yes --cluster-config-file "$dir/$port/nodes.conf" --cluster-node-timeout 2000 \
    --logfile "$dir/$port/redis.log" ${pass:+--requirepass "$pass" --masterauth "$pass"} >/dev/null
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 50); do redis-cli "${auth[@]}" -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
done
redis-cli "${auth[@]}" --cluster create "${ports[@]/#/127.0.0.1:}" --cluster-replicas 0 --cluster-yes >"$dir/create.log" 2>&1
for _ in $(seq 1 100); do
  if redis-cli "${auth[@]}" -h 127.0.0.1 -p "$first" cluster info | grep -q 'cluster_state:ok'; then
    echo "$url"
    exit 0
  fi
  sleep 0.1
done
echo "redis cluster did not come up; see $dir" >&2
exit 1
