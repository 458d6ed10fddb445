# Sourced by face-search, evaluation/run, benchmarks/run and scripts/node.sh: finds a JDK >= 21.
# OpenSearch 3.x and this build need Java 21 or newer; JAVA_HOME wins, then /usr/lib/jvm/*.

jdk_major() {  # prints the feature version of the JDK at $1, or nothing
  local release="$1/release" v
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  else
    v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
  fi
  echo "$v"
}

find_jdk() {  # prints the home of a JDK >= 21, or explains and fails
  local c v best="" best_v=0
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(jdk_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "$JAVA_HOME"; return 0; fi
    echo "face-search: JAVA_HOME=$JAVA_HOME is not a JDK 21 or newer (found: ${v:-no JDK}); looking in /usr/lib/jvm" >&2
  fi
  for c in /usr/lib/jvm/*; do
    [ -d "$c" ] && [ ! -L "$c" ] || continue
    v=$(jdk_major "$c")
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$c; best_v=$v; fi
  done
  if [ -z "$best" ]; then
    cat >&2 <<'MSG'
face-search: no JDK 21 or newer found (OpenSearch 3.x needs one).
  Install one (for example Debian: apt-get install openjdk-21-jdk-headless, or Temurin 21+),
  or point JAVA_HOME at it, then run the command again.
MSG
    return 1
  fi
  echo "$best"
}
