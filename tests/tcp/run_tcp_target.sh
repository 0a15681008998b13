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
# A connection that sends an ICReq (128 bytes: type 0, HLEN 128, PLEN 128, PFV 0) gets an
# ICResp: 128 bytes, type 1
exec 3<>"/dev/tcp/127.0.0.1/$port"
{ printf '\x00\x00\x80\x00\x80\x00\x00\x00'; head -c 120 /dev/zero; } >&3
read -r -d "" -a resp < <(timeout 5 head -c 128 <&3 | od -An -v -tu1) || true
exec 3<&-
if [[ ${#resp[@]} -ne 128 || ${resp[0]} -ne 1 ]]; then
	echo "FAIL: ICResp of ${#resp[@]} bytes, type ${resp[0]:-none}"; kill "$pid"; exit 1
fi
kill -TERM "$pid"
wait "$pid"
rc=$?
echo "port $port, ICResp ok, exit status after SIGTERM: $rc"
[[ $rc -eq 0 ]]
