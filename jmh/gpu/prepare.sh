#!/usr/bin/env bash
# jmh/gpu/prepare.sh — builds, on a machine with JDK 25 and Maven, everything jmh/gpu/run.sh needs on
# a GPU machine that has no JDK: a jlink'd Java runtime (java.base, java.desktop for images and charts, java.logging, java.xml,
# java.management, jdk.incubator.vector, jdk.unsupported; compressed), the jars, the compiled tests,
# the JUnit console launcher, the MNIST files (gzipped) and Debian's OpenCL ICD loader.
#
#   jmh/gpu/prepare.sh [BUNDLE_DIR]      (default target/gpu; about 57 MB)
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${1:-target/gpu}
JDK=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME=$JDK MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}
rm -rf "$B" && mkdir -p "$B/lib" "$B/mnist"

mvn -B -q package -DskipTests   # every unit; tests compiled too
# the command line's jar and every jar it runs with (the engine, the OpenCL backend, the demo, libraries)
cp target/cli/jgrad.jar target/cli/lib/*.jar "$B/lib/"
# the tests the GPU run selects: the engine's contract suites and the OpenCL unit's subclasses of them
t=$(mktemp -d) && cp -r target/engine/test-classes/. target/opencl/test-classes/. "$t/"
"$JDK/bin/jar" --create --file "$B/lib/jgrad-tests.jar" -C "$t" . && rm -rf "$t"
mvn -B -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.11.4 -DoutputDirectory="$B/lib"
mvn -B -q dependency:copy -Dartifact=org.assertj:assertj-core:3.27.3 -DoutputDirectory="$B/lib"

"$JDK/bin/jlink" --add-modules java.base,java.desktop,java.logging,java.xml,java.management,jdk.incubator.vector,jdk.unsupported \
    --compress=zip-9 --strip-debug --no-header-files --no-man-pages --output "$B/jre"
tar -C "$B" -czf "$B/jre.tar.gz" jre && rm -rf "$B/jre"

# MNIST: the demo's cache (./jgrad mnist fetches it), gzipped to a quarter of the size
src=${MNIST_DIR:-$HOME/.cache/jgrad/mnist}
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  if [ -f "$src/$f.gz" ]; then cp "$src/$f.gz" "$B/mnist/"; else gzip -c "$src/$f" > "$B/mnist/$f.gz"; fi
done

# the OpenCL ICD loader (libOpenCL.so.1), in case the GPU machine has none
(cd "$B" && apt-get download ocl-icd-libopencl1 >/dev/null && mv ocl-icd-libopencl1_*.deb ocl-icd-libopencl1.deb)
du -sh "$B"
