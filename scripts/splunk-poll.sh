#!/usr/bin/env bash
# Splunk scripted input (or cron job): sync IOCs from SOC Defenders into Splunk HEC.
#
# Each page is fetched as NDJSON (one IOC per line) and piped straight into HEC's raw endpoint,
# which makes one event per line. The cursor of the last page Splunk acknowledged is kept in a
# checkpoint file, so every run continues where the last one stopped: no IOC change is missed
# or sent twice, even while SOC Defenders ingests. With status=all, expirations and revocations
# arrive as new events of the same IOC id.
#
# Environment:
#   SOCD_URL         SOC Defenders base URL, e.g. http://127.0.0.1:8080
#   SOCD_API_KEY     API key (sk_live_...) of a plan with ndjson (pro)
#   HEC_URL          Splunk HEC base URL, e.g. https://splunk.example:8088
#   HEC_TOKEN        HEC token
#   SOCD_CHECKPOINT  checkpoint file (default: ./socd-splunk.cursor)
#   SOCD_QUERY       extra filters (default: status=all), e.g. "status=all&type=ipv4,domain"
#   SOCD_LIMIT       IOCs per page (default 1000)
#   HEC_SOURCETYPE   sourcetype (default _json: Splunk's built-in JSON sourcetype breaks the raw
#                    stream into one event per line and extracts the fields); HEC_INDEX: optional index
#   CURL_OPTS        extra curl options for both calls (e.g. --cacert /path/ca.pem)
set -euo pipefail

: "${SOCD_URL:?set SOCD_URL}" "${SOCD_API_KEY:?set SOCD_API_KEY}" "${HEC_URL:?set HEC_URL}" "${HEC_TOKEN:?set HEC_TOKEN}"
checkpoint="${SOCD_CHECKPOINT:-./socd-splunk.cursor}"
query="${SOCD_QUERY:-status=all}"
limit="${SOCD_LIMIT:-1000}"
hec="${HEC_URL%/}/services/collector/raw?sourcetype=${HEC_SOURCETYPE:-_json}${HEC_INDEX:+&index=$HEC_INDEX}"
read -r -a curl_opts <<<"${CURL_OPTS:-}"

headers="$(mktemp)"
reply="$(mktemp)"
trap 'rm -f "$headers" "$reply"' EXIT

header() { # value of response header $1 in $headers
  tr -d '\r' <"$headers" | awk -v name="$(printf '%s' "$1" | tr 'A-Z' 'a-z')" \
    'BEGIN { FS = ": *" } tolower($1) == name { v = $2 } END { print v }'
}

cursor="$(cat "$checkpoint" 2>/dev/null || true)"
sent=0
while :; do
  url="${SOCD_URL%/}/api/v1/iocs?format=ndjson&limit=${limit}&${query}${cursor:+&cursor=$cursor}"
  # --fail: an error answer (429, 401...) sends nothing into HEC and fails the pipeline.
  status="$(
    curl -sS --fail "${curl_opts[@]}" -D "$headers" -H "Authorization: Bearer ${SOCD_API_KEY}" "$url" |
      curl -sS "${curl_opts[@]}" -o "$reply" -w '%{http_code}' \
        -H "Authorization: Splunk ${HEC_TOKEN}" --data-binary @- "$hec"
  )" || { echo "socd-splunk: fetching $url failed: $(head -n1 "$headers" | tr -d '\r')" >&2; exit 1; }

  next="$(header X-Next-Cursor)"
  if [ "$next" = "$cursor" ] || [ -z "$next" ]; then
    break # empty page: nothing new (HEC answered "No data" to the empty body; that is fine)
  fi
  if [ "$status" != "200" ] || ! grep -q '"code": *0' "$reply"; then
    echo "socd-splunk: HEC refused the batch (HTTP $status): $(cat "$reply")" >&2
    exit 1
  fi
  # Advance only after HEC accepted the page: a failed run resends it rather than losing it.
  printf '%s\n' "$next" >"$checkpoint.tmp" && mv "$checkpoint.tmp" "$checkpoint"
  cursor="$next"
  sent=$((sent + 1))
  [ "$(header X-Has-More)" = "true" ] || break
done
echo "socd-splunk: ${sent} page(s) sent, checkpoint ${cursor:-none}" >&2
