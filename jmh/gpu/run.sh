#!/usr/bin/env bash
# jmh/gpu/run.sh — on a machine with an NVIDIA GPU and no JDK: the OpenCL contract tests, jgrad's
# GPU benchmarks, a LeNet MNIST run, and PyTorch on the same GPU side by side.
#
# First, on a build machine: jmh/gpu/prepare.sh (makes target/gpu: runtime, jars, MNIST, loader).
# Then, from the repository root on the GPU machine:
#   jmh/gpu/run.sh [BUNDLE_DIR] [OUT_DIR]        (defaults: target/gpu, $OUT or target/gpu-out)
# Results: OUT_DIR/log.txt (everything printed), jgrad-bench.json, torch.json, jgrad-mnist.json,
# junit/ (test reports). Each step has a time limit; a failing step is reported and the rest run.
set -uo pipefail
cd "$(dirname "$0")/../.."
B=${1:-target/gpu}
O=${2:-${OUT:-target/gpu-out}}
mkdir -p "$O"
exec > >(tee "$O/log.txt") 2>&1
step() { echo; echo "== $(date -u +%H:%M:%S) $*"; }
# which parts to run (all by default): tests bench torch mnist sweep profile
STEPS=" ${JGRAD_GPU_STEPS:-tests bench torch mnist sweep profile} "
want() { [[ "$STEPS" == *" $1 "* ]]; }

step "machine"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv 2>&1 || echo "nvidia-smi: not found"
nproc

step "OpenCL: ICD loader and NVIDIA's driver library"
mkdir -p /tmp/ocl/lib /tmp/ocl/icd
dpkg -x "$B/ocl-icd-libopencl1.deb" /tmp/ocl/deb
loader=$(ls /tmp/ocl/deb/usr/lib/x86_64-linux-gnu/libOpenCL.so.1* | head -1)
ln -sf "$loader" /tmp/ocl/lib/libOpenCL.so.1 && ln -sf "$loader" /tmp/ocl/lib/libOpenCL.so
export LD_LIBRARY_PATH=/tmp/ocl/lib:${LD_LIBRARY_PATH:-}
nv=$(ldconfig -p 2>/dev/null | awk '/libnvidia-opencl\.so/ {print $NF; exit}')
[ -z "$nv" ] && nv=$(find /usr /lib /lib64 /opt -name 'libnvidia-opencl.so*' 2>/dev/null | head -1)
if [ -n "$nv" ]; then
  echo "$nv" > /tmp/ocl/icd/nvidia.icd
  export OCL_ICD_VENDORS=/tmp/ocl/icd
  echo "NVIDIA OpenCL library: $nv"
else
  echo "MISSING: libnvidia-opencl.so.1 (NVIDIA's OpenCL driver library) was not found; the OpenCL steps will see no GPU"
  ls /etc/OpenCL/vendors 2>/dev/null
fi

step "Java runtime"
tar -C /tmp -xzf "$B/jre.tar.gz"
JAVA="/tmp/jre/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
CP="$B/lib/jgrad.jar:$B/lib/picocli-4.7.6.jar:$B/lib/jocl-2.0.5.jar"
for unit in "$B"/lib/jgrad-engine-*.jar "$B"/lib/jgrad-opencl-*.jar "$B"/lib/jgrad-mnist-*.jar; do CP="$CP:$unit"; done
/tmp/jre/bin/java -version 2>&1 | head -1
DEV=${JGRAD_GPU_DEVICE:-opencl}

step "jgrad devices"
timeout 60 $JAVA -cp "$CP" jgrad.cli.Main devices

if want tests; then
step "OpenCL contract tests and LeNet end to end on $DEV (CI=true: a missing device fails)"
CI=true timeout 240 $JAVA -Xss4m -Djgrad.test.opencl=$DEV -jar "$B/lib/junit-platform-console-standalone-1.11.4.jar" execute \
    -cp "$CP:$B/lib/jgrad-tests.jar:$B/lib/assertj-core-3.27.3.jar" \
    --select-class jgrad.backend.OpenClContractTest --select-class jgrad.backend.OpenClFusedContractTest \
    --select-class jgrad.backend.OpenClConvPoolContractTest --select-class jgrad.backend.OpenClIndexingContractTest \
    --select-class jgrad.backend.opencl.OpCodesTest --select-class jgrad.models.LeNetOnOpenClTest \
    --select-class jgrad.nn.CrossEntropyOnOpenClTest --select-class jgrad.backend.OpenClPreparedGemmContractTest \
    --select-class jgrad.nn.TorchParityRnnOnOpenClTest \
    --details=summary --disable-banner --reports-dir "$O/junit" || echo "TESTS FAILED (rc $?)"
fi

if want bench; then
step "jgrad bench on $DEV"
timeout 240 $JAVA -Xmx6g -cp "$CP" jgrad.cli.Main bench --device $DEV --only sgemm,conv,lenet_train,lenet_infer,mlp_step,lstm_train,charlm_train \
    --sizes ${JGRAD_GPU_SIZES:-1024,2048,4096,8192} --json "$O/jgrad-bench.json" || echo "BENCH FAILED (rc $?)"
fi

if want torch && python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  step "PyTorch on the same GPU"
  PYTHONUNBUFFERED=1 timeout 240 python3 jmh/gpu/torch_gpu_peer.py --mnist "$B/mnist" --epochs ${JGRAD_GPU_EPOCHS:-3} --json "$O/torch.json" \
      || echo "TORCH PEER FAILED (rc $?)"
elif want torch; then
  step "PyTorch with CUDA not available here: peer skipped"
fi

if want mnist; then
  step "jgrad mnist --model lenet on $DEV (${JGRAD_GPU_EPOCHS:-3} epochs, batch 64)"
  timeout 240 $JAVA -Xmx2g -cp "$CP" jgrad.cli.Main mnist --model lenet --device $DEV --epochs ${JGRAD_GPU_EPOCHS:-3} \
      --batch-size 64 --data "$B/mnist" --show 0 --json "$O/jgrad-mnist.json" || echo "MNIST FAILED (rc $?)"
fi

want sweep && for tiling in ${JGRAD_GEMM_SWEEP:-128,128,16,8,8 128,128,8,8,4 64,64,8,4,4 128,64,8,8,4}; do
  step "sgemm with gemm tiling $tiling"
  timeout 60 $JAVA -Xmx6g -Djgrad.opencl.gemm=$tiling -cp "$CP" jgrad.cli.Main bench --device $DEV --only sgemm \
      --sizes ${JGRAD_SWEEP_SIZES:-2048,4096} --seconds 0.3 || echo "SWEEP FAILED (rc $?)"
done
if want sweep; then
  step "sgemm with float4 loads (-Djgrad.opencl.gemmVec=true), default tiling"
  timeout 60 $JAVA -Xmx6g -Djgrad.opencl.gemmVec=true -cp "$CP" jgrad.cli.Main bench --device $DEV --only sgemm \
      --sizes ${JGRAD_SWEEP_SIZES:-2048,4096} --seconds 0.3 || echo "SWEEP FAILED (rc $?)"
fi
if want profile; then
  step "OpenCL profile of training steps (per kernel: device time and host time)"
  timeout 120 $JAVA -Xmx2g -Djgrad.opencl.profile=true -cp "$CP" jgrad.cli.Main bench --device $DEV \
      --only lenet_train --seconds 1 || echo "PROFILE FAILED (rc $?)"
  timeout 120 $JAVA -Xmx2g -Djgrad.opencl.profile=true -cp "$CP" jgrad.cli.Main bench --device $DEV \
      --only mlp_step --seconds 1 || echo "PROFILE FAILED (rc $?)"
fi
step "done"
