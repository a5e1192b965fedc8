#!/usr/bin/env bash
# scripts/cluster.sh stays true: it starts redis-server, the simulator, three replicas and nginx, and the cluster has
# one leader, two followers and one answer everywhere.
exec bash "$(dirname "$0")/cluster.sh" --check
