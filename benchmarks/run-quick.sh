#!/usr/bin/env sh
# Runs the interrupt-object benchmarks in quick mode (about 5 minutes) and rewrites their table
# in benchmarks/README.md. From the repository root: benchmarks/run-quick.sh
set -eu
cd "$(dirname "$0")/.."
./mvnw -q -B -pl benchmarks -am package -DskipTests
JAVA="${JAVA:-}"
if [ -z "$JAVA" ]; then
  for candidate in /usr/lib/jvm/*25*/bin/java "${JAVA_HOME:-/nonexistent}/bin/java" java; do
    if [ -x "$candidate" ] || command -v "$candidate" >/dev/null 2>&1; then JAVA="$candidate"; break; fi
  done
fi
exec "$JAVA" --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar dev.udriver.benchmarks.QuickReport benchmarks/README.md
