#!/usr/bin/env bash
# Siege versions of the picfeed load tests.
#
#   load-tests/siege/run-siege.sh TOKENS_FILE [all|hot-post|timeline]
#
# TOKENS_FILE is the load-test tokens file: {"baseUrl": ..., "postId": ..., "users": [{"id": ..., "token": ...}]}.
# The URL templates next to this script get baseUrl, postId and LIMIT (env, default 10) filled in, and users[0].token
# goes to siege as an Authorization header.
#
#   hot-post: siege -b -c 200 -t 30S, PUT /v1/posts/{postId}/like
#   timeline: siege -b -c 20 -t 30S, GET /v1/timeline?limit=$LIMIT
#
# NOTE: siege sends the same headers for every simulated user, so the hot-post run is ONE user (users[0]) hitting the
# like from 200 connections. Siege URL files cannot express DELETE either, so that user only re-PUTs the like (a no-op
# after the first). The k6 script (load-tests/k6/hot-post.ts) is the one with distinct users that like and unlike.
# -b (benchmark mode: no delay between requests) keeps the runs comparable with k6, which does not sleep either.
# The token is visible in the process list while siege runs; use a throw-away token against shared machines.
set -euo pipefail

usage() {
  echo "usage: $0 TOKENS_FILE [all|hot-post|timeline]" >&2
  exit 2
}

[[ $# -ge 1 && $# -le 2 ]] || usage
tokens_file=$1
which_test=${2:-all}
case $which_test in
  all | hot-post | timeline) ;;
  *) usage ;;
esac
limit=${LIMIT:-10}
[[ $limit =~ ^[0-9]+$ ]] || {
  echo "LIMIT must be a whole number, got '$limit'" >&2
  exit 2
}

if ! command -v siege >/dev/null 2>&1; then
  echo "siege is not installed (or not on PATH): install it (apt-get install siege, brew install siege, or" \
    "https://github.com/JoeDog/siege) or use the k6 scripts in load-tests/k6 instead." >&2
  exit 127
fi
[[ -r $tokens_file ]] || {
  echo "cannot read tokens file '$tokens_file'" >&2
  exit 2
}

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd -- "$script_dir/../.." && pwd)

# Prints baseUrl (without a trailing slash), postId and users[0].token, one a line, after checking them.
read_tokens_file() {
  local node_bin="$repo_root/node_modules/.bin/node"
  [[ -x $node_bin ]] || node_bin=$(command -v node || true)
  if [[ -n $node_bin ]]; then
    "$node_bin" -e '
      const path = process.argv[1];
      const fail = (message) => { console.error(`${path}: ${message}`); process.exit(1); };
      let file;
      try { file = JSON.parse(require("node:fs").readFileSync(path, "utf8")); } catch (e) { fail(e.message); }
      const base = file?.baseUrl;
      if (typeof base !== "string" || !/^https?:\/\/\S+$/.test(base)) fail("baseUrl must be an http(s) URL");
      if (typeof file.postId !== "string" || !/^[A-Za-z0-9_-]+$/.test(file.postId)) fail("postId must be a post id");
      const token = Array.isArray(file.users) ? file.users[0]?.token : undefined;
      if (typeof token !== "string" || !/^[\x21-\x7e]+$/.test(token)) fail("users[0].token must be a non-empty token");
      process.stdout.write(`${base.replace(/\/+$/, "")}\n${file.postId}\n${token}\n`);
    ' "$1"
  elif command -v python3 >/dev/null 2>&1; then
    python3 - "$1" <<'PY'
import json, re, sys
path = sys.argv[1]
def fail(message):
    sys.exit(f"{path}: {message}")
try:
    with open(path, encoding="utf-8") as f:
        file = json.load(f)
except (OSError, ValueError) as e:
    fail(str(e))
base = file.get("baseUrl") if isinstance(file, dict) else None
if not isinstance(base, str) or not re.fullmatch(r"https?://\S+", base):
    fail("baseUrl must be an http(s) URL")
post = file.get("postId")
if not isinstance(post, str) or not re.fullmatch(r"[A-Za-z0-9_-]+", post):
    fail("postId must be a post id")
users = file.get("users")
token = users[0].get("token") if isinstance(users, list) and users and isinstance(users[0], dict) else None
if not isinstance(token, str) or not re.fullmatch(r"[\x21-\x7e]+", token):
    fail("users[0].token must be a non-empty token")
print(base.rstrip("/"), post, token, sep="\n")
PY
  else
    echo "need node (npm ci puts one in node_modules/.bin) or python3 to read the tokens file" >&2
    return 1
  fi
}

fields=$(read_tokens_file "$tokens_file")
mapfile -t field <<<"$fields"
base_url=${field[0]}
post_id=${field[1]}
token=${field[2]}

# siege keeps the -f path in a 128-byte buffer, so the rendered files go to a short directory under /tmp.
work_dir=$(mktemp -d /tmp/picfeed-siege.XXXXXX)
trap 'rm -rf -- "$work_dir"' EXIT

# Copies a template, dropping comment lines and filling in the variable lines siege evaluates.
render() {
  local line
  while IFS= read -r line || [[ -n $line ]]; do
    case $line in
      '' | '#'*) ;;
      BASE=*) printf 'BASE=%s\n' "$base_url" ;;
      POST_ID=*) printf 'POST_ID=%s\n' "$post_id" ;;
      LIMIT=*) printf 'LIMIT=%s\n' "$limit" ;;
      *) printf '%s\n' "$line" ;;
    esac
  done <"$script_dir/$1" >"$work_dir/$1"
  echo "$work_dir/$1"
}

run_siege() {
  local name=$1 concurrency=$2 urls
  urls=$(render "$name.urls")
  echo "== siege $name: $concurrency users for 30S against $base_url" >&2
  siege -b -c "$concurrency" -t 30S -H "Authorization: Bearer $token" -f "$urls"
}

if [[ $which_test == all || $which_test == hot-post ]]; then
  run_siege hot-post 200
fi
if [[ $which_test == all || $which_test == timeline ]]; then
  run_siege timeline 20
fi
