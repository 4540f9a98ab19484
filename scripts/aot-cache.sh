# jgrad launcher: the JDK's ahead-of-time cache (JEP 483, 514, 515; JDK 25), sourced by ./jgrad.
#
# A JVM started with -XX:AOTCache=FILE finds jgrad's classes already loaded and linked, and the method
# profiles of a training run, so the first epoch needs less warm-up (docs/performance.md, "First epoch").
# The cache is made once per build by a short training run (LeNet-5 and the MLP on synthetic images,
# no download) with -XX:AOTCacheOutput, and remade when its key changes: the jars (names, sizes,
# modification times), the JDK, or the JVM options. JGRAD_AOT=0 turns it off.
#
# Functions (all paths absolute):
#   aot_key APP JAVA OPTS          prints the key of the cache for the jars under APP, that java and those options
#   aot_fresh CACHE KEY            true when CACHE exists and was made for KEY (its key is in CACHE.key)
#   aot_synthetic_mnist DIR N      writes N random 28×28 images (labels 0..9 in turn) as the four MNIST IDX files
#   aot_create APP JAVA OPTS CACHE runs the training run and writes CACHE and CACHE.key (quietly; false on failure)

aot_key() {
  local app="$1" java="$2" opts="$3"
  {
    echo "java $(readlink -f "$java") $(stat -c '%s %Y' "$(readlink -f "$java")")"
    echo "opts $opts"
    (cd "$app" && find . -name '*.jar' -printf '%p %s %T@\n' | LC_ALL=C sort)
  } | sha256sum | cut -c1-64
}

aot_fresh() {
  local cache="$1" key="$2"
  [ -f "$cache" ] && [ -f "$cache.key" ] && [ "$(cat "$cache.key")" = "$key" ]
}

# big-endian 32-bit integer, as IDX headers hold them
aot_be32() {
  local n="$1"
  # shellcheck disable=SC2059
  printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((n >> 24 & 255)) $((n >> 16 & 255)) $((n >> 8 & 255)) $((n & 255)))"
}

aot_synthetic_mnist() {
  local dir="$1" n="$2" f
  mkdir -p "$dir"
  for f in train t10k; do
    { printf '\x00\x00\x08\x03'; aot_be32 "$n"; aot_be32 28; aot_be32 28; head -c $((n * 784)) /dev/urandom; } > "$dir/$f-images-idx3-ubyte"
    { printf '\x00\x00\x08\x01'; aot_be32 "$n"; head -c "$n" < <(while :; do printf '\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09'; done); } \
      > "$dir/$f-labels-idx1-ubyte"
  done
}

aot_create() {
  local app="$1" java="$2" opts="$3" cache="$4" key tmp rc=0
  key=$(aot_key "$app" "$java" "$opts")
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/jgrad-aot.XXXXXX")
  aot_synthetic_mnist "$tmp/data" 2048
  # One training JVM: its classes and profiles go into the cache. LeNet-5 (the demo's CNN) for 2 epochs
  # of 64 steps; the MLP path shares the tensors, autograd, SGD and loader classes.
  # shellcheck disable=SC2086
  "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED $opts \
    -XX:AOTCacheOutput="$tmp/jgrad.aot" -Xlog:aot=error -Xlog:cds=error \
    -cp "$app/jgrad.jar:$app/lib/*" jgrad.cli.Main mnist --model lenet --epochs 2 --data "$tmp/data" --show 0 \
    > "$tmp/log" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ] && [ -s "$tmp/jgrad.aot" ]; then
    mv -f "$tmp/jgrad.aot" "$cache" && echo "$key" > "$cache.key"
  else
    echo "jgrad: could not create the start-up cache (exit status $rc; $tmp/log); running without it" >&2
    rm -f "$cache" "$cache.key"
    return 1
  fi
  rm -rf "$tmp"
}
