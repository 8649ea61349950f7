#!/bin/sh
# Turn the summary of one `ping` run into one per-run probe row for `ccv sla measure`.
#
#   usage: ping -n -q -c 100 -s $((SIZE - 28)) TARGET | ping-to-csv.sh POP_A POP_B SIZE [TIMESTAMP]
#
# SIZE is the annex's packet size (64, 128 or 512 bytes; -s gives ICMP data bytes, the IP
# packet adds 28). TIMESTAMP defaults to now (UTC). The row carries rtt_max_ms, so ccv can
# tell whether a reply was slower than 2000 ms (the annex counts it lost; ccv then asks for
# per-packet rows for that run). A run with no reply prints an empty rtt_ms.
# Write the header once:  timestamp,pop_a,pop_b,size,sent,received,rtt_ms,rtt_max_ms
set -eu
[ $# -ge 3 ] || { echo "usage: ping ... | $0 POP_A POP_B SIZE [TIMESTAMP]" >&2; exit 2; }
ts=${4:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}
awk -v ts="$ts" -v a="$1" -v b="$2" -v size="$3" '
  / packets transmitted/ { sent = $1; received = $4 }
  /^(rtt|round-trip) / { split($4, r, "/"); avg = r[2]; max = r[3] }
  END {
    if (sent == "") { print "ping-to-csv: no ping summary on standard input" > "/dev/stderr"; exit 2 }
    printf "%s,%s,%s,%s,%s,%s,%s,%s\n", ts, a, b, size, sent, received, avg, max
  }'
