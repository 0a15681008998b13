#!/usr/bin/env bash
# Proves the soak can fail: runs it with XNVME_SOAK_CORRUPT (every Nth write has a byte flipped
# after its checksum is recorded) and passes only when it exits 1 and every summary line reports
# mismatches > 0 and no other error; a crash or a clean pass fails.
#   expect_mismatch.sh SOAK TARGET [SOAK ARGS...]
set -uo pipefail
out=$(XNVME_SOAK_CORRUPT=${XNVME_SOAK_CORRUPT:-40} "$@" 2>&1)
rc=$?
echo "$out" | grep -v '^MISMATCH\|^ERROR' | head -20
echo "$out" | grep -m3 '^MISMATCH\|^ERROR'
lines=$(grep -c '^soak: .* mismatches=' <<<"$out")
bad=$(grep '^soak: .* mismatches=' <<<"$out" | grep -c ' mismatches=0 \| errors=[1-9]')
if [[ $rc -eq 1 && $lines -gt 0 && $bad -eq 0 ]]; then
	echo "PASS: corrupted writes were found ($lines summary lines with mismatches > 0, exit 1)"
	exit 0
fi
echo "FAIL: expected exit 1 and mismatches > 0 without errors on every summary line (exit $rc, $lines lines, $bad without mismatches or with errors)"
exit 1
