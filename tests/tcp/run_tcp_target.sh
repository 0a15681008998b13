#!/usr/bin/env bash
# xnvme-tcp-target as scripts use it: started in the background, its port read from its first
# line, a TCP connection made to it, SIGTERM ends it with status 0; a refused spec fails.
set -u
prog="$1"
out=$(mktemp)
trap 'rm -f "$out"' EXIT

if "$prog" "8MiB,mset=sep" 2>/dev/null; then
	echo "FAIL: a refused spec started"; exit 1
fi
"$prog" --port 0 "16MiB,subnqn=nqn.2026-12.io.xnvme:script" >"$out" &
pid=$!
for _ in $(seq 100); do
	[[ -s "$out" ]] && break
	sleep 0.05
done
read -r word port word2 nqn <"$out" || true
if [[ "${word:-}" != port || "${word2:-}" != subnqn || "$nqn" != nqn.2026-12.io.xnvme:script ]]; then
	echo "FAIL: first line '$(cat "$out")'"; kill "$pid"; exit 1
fi
# A connection that sends an ICReq (128 bytes, PFV 0) gets an ICResp of 128 bytes
resp=$(python3 - "$port" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
req = bytes([0, 0, 128, 0]) + (128).to_bytes(4, "little") + bytes(120)
s.sendall(req)
got = b""
while len(got) < 128:
    chunk = s.recv(128 - len(got))
    if not chunk:
        break
    got += chunk
print(len(got), got[0] if got else -1)
PY
)
if [[ "$resp" != "128 1" ]]; then
	echo "FAIL: ICResp '$resp'"; kill "$pid"; exit 1
fi
kill -TERM "$pid"
wait "$pid"
rc=$?
echo "port $port, ICResp ok, exit status after SIGTERM: $rc"
[[ $rc -eq 0 ]]
