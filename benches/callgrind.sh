#!/usr/bin/env bash
# Instructions per input byte for each workload, counted by callgrind: an
# exact, noise-free figure, so a change that slows the parser shows up as a
# bigger number. Only the parse itself is counted (not generating the
# workload), in one run of the small `workload` program of benches/compare.
#
# Usage: benches/callgrind.sh [implementation] [workload...]
#   implementation: sse-proto (default; `Parser::for_each`),
#   sse-proto-try (the same loop, `Parser::try_for_each`), sse-proto-feed
#   (`Parser::feed`), sse-proto-no-comments (`for_each` with
#   `Config::comments(false)`), sse-core, sse-parse, sse-stream,
#   eventsource-stream or async-sse; workloads default to all of them.
# Set KEEP=dir to keep the callgrind.out files for `callgrind_annotate`.
set -euo pipefail
cd "$(dirname "$0")/compare"

implementation=${1:-sse-proto}
shift || true
workloads=("$@")
[ ${#workloads[@]} -gt 0 ] || workloads=(tokens small fields large comments)

# The adapter function that runs the parse, in benches/compare/src/lib.rs.
name=
case $implementation in
  sse-proto) function=sse_proto_for_each name='sse-proto (for_each)' ;;
  sse-proto-try) function=sse_proto_try_for_each name='sse-proto (try_for_each)' ;;
  sse-proto-feed) function=sse_proto_feed name='sse-proto (feed)' ;;
  sse-proto-no-comments) function=sse_proto_for_each_without_comments name='sse-proto (for_each, no comments)' ;;
  sse-core) function=sse_core ;;
  sse-parse) function=sse_parse ;;
  sse-stream) function=sse_stream ;;
  eventsource-stream) function=eventsource_stream ;;
  async-sse) function=async_sse ;;
  *) echo "unknown implementation: $implementation" >&2; exit 2 ;;
esac
name=${name:-$implementation}

cargo build --release --quiet --bin workload
out=${KEEP:-$(mktemp -d)}
mkdir -p "$out"

printf '%-9s %6s %12s %14s %12s\n' workload chunk bytes instructions 'instr/byte'
for workload in "${workloads[@]}"; do
  chunks=(65536)
  [ "$workload" = tokens ] && chunks=(65536 1024 16)
  for chunk in "${chunks[@]}"; do
    file=$out/callgrind.out.$implementation.$workload.$chunk
    log=$out/log.$implementation.$workload.$chunk
    bytes=$(valgrind --tool=callgrind --callgrind-out-file="$file" \
      --collect-atstart=no --toggle-collect="sse_compare::$function*" \
      ./target/release/workload "$name" "$workload" "$chunk" 2>"$log" |
      awk '{print $1}')
    instructions=$(awk '/^summary:/ {print $2}' "$file")
    awk -v w="$workload" -v c="$chunk" -v b="$bytes" -v i="$instructions" \
      'BEGIN { printf "%-9s %6s %12d %14d %12.3f\n", w, c, b, i, i / b }'
  done
done
[ -n "${KEEP:-}" ] || rm -r "$out"
