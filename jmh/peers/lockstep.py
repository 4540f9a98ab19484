#!/usr/bin/env python3
"""jgrad and PyTorch side by side, in lockstep.

Starts `./jgrad bench --lockstep` and `torch_peer.py --lockstep` (OpenBLAS with OpenMP, 2 threads)
once each and keeps both running; then, round after round, asks each for one measurement of each
case in turn (about --seconds each, the order alternating between rounds). Each round's ratio
compares two measurements taken seconds apart, so the slow and fast patches of a shared VM, which
last from seconds to minutes, fall on both programs alike; the report gives the median ratio over
the rounds and its spread, next to each side's median rate, the machine's instruction set and
jgrad's vector width (in use / preferred; #22).

  apt-get install python3-torch python3-numpy libopenblas0-openmp
  /usr/bin/python3 jmh/peers/lockstep.py                 # all cases, 12 rounds (about 6 minutes)
  /usr/bin/python3 jmh/peers/lockstep.py --rounds 20 --cases "mlp 784-128-64-10"
  /usr/bin/python3 jmh/peers/lockstep.py --threads 1 --cases "sgemm 1024"   # one core against one core
  /usr/bin/python3 jmh/peers/lockstep.py --baseline ../old-checkout   # this jgrad against another build of jgrad
  /usr/bin/python3 jmh/peers/lockstep.py --baseline . --baseline-options=-Djgrad.simd.bits=256   # against itself at 256 bits
  /usr/bin/python3 jmh/peers/lockstep.py --fresh --rounds 5 --seconds 3 --cases "resnet18_train 224x8,resnet18_infer 224x8"

Each answer also carries the process's peak resident set size (VmHWM from /proc/self/status, read the
same way on both sides). With --fresh every case gets its own pair of processes, so that the peak
printed is that case's alone (jgrad's JVM with the launcher's options: JGRAD_JAVA_OPTS replaces them).
"""
import argparse, json, os, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = ["sgemm 1024", "sgemm 2048", "mlp 784-16-16-10", "mlp 784-128-64-10", "lenet_train", "lenet_infer"]
# issue #18's ResNet-18 cases (MODEL_train|infer|frozen SIZExBATCH; not in the default list: minutes each)
ZOO_CASES = ["resnet18_train 224x8", "resnet18_infer 224x8", "resnet18_train 64x32", "resnet18_infer 64x32"]


class Server:
    def __init__(self, name, cmd, env=None, cwd=ROOT):
        self.name = name
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, bufsize=1, env=env, cwd=cwd)
        line = self._line()
        while not line.startswith("ready"):
            line = self._line()
        self.info = line[len("ready"):].strip()
        try:
            self.fields = json.loads(self.info) if self.info else {}
        except ValueError:
            self.fields = {}

    def _line(self):
        line = self.proc.stdout.readline()
        if not line:
            sys.exit(f"{self.name} stopped (exit status {self.proc.poll()})")
        return line.strip()

    def measure(self, case):
        self.proc.stdin.write(case + "\n")
        self.proc.stdin.flush()
        line = self._line()
        while not line.startswith("{"):  # skip anything else the program printed
            line = self._line()
        row = json.loads(line)
        if "error" in row:
            sys.exit(f"{self.name}: {row['error']}")
        return row

    def close(self):
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
            self.proc.wait(timeout=30)
        except Exception:
            self.proc.kill()


def cpu_isa():
    """The widest vector instruction set in /proc/cpuinfo's flags, as jgrad's MachineInfo names it."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((l.split(":", 1)[1].split() for l in f if l.startswith("flags")), [])
    except OSError:
        return "unknown"
    for flag, name in (("avx512f", "AVX-512"), ("avx2", "AVX2"), ("avx", "AVX"), ("sse2", "SSE")):
        if flag in flags:
            return name
    return "unknown"


def width(server):
    """'512/512-bit' : the width jgrad uses / its Vector API's preferred one ('-' for PyTorch)."""
    f = server.fields
    return f"{f['simd_bits']}/{f['preferred_bits']}-bit" if "simd_bits" in f else "-"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rounds", type=int, default=12)
    p.add_argument("--seconds", type=float, default=0.5, help="time per measurement (default 0.5)")
    p.add_argument("--cases", default=",".join(CASES), help="comma-separated, from: " + ", ".join(CASES + ZOO_CASES)
                   + " (any MODEL_train|infer|frozen SIZExBATCH, MODEL resnet18 or mobilenet_v2); 'zoo' = the ResNet-18 ones")
    p.add_argument("--fresh", action="store_true",
                   help="a new pair of processes per case, so that each case's peak memory is its own")
    p.add_argument("--json", help="also write every measurement here")
    p.add_argument("--baseline", metavar="DIR",
                   help="the peer is jgrad from another checkout (e.g. a git worktree of an older commit) instead of PyTorch")
    p.add_argument("--baseline-options", default="", metavar="OPTS",
                   help="JVM options for the baseline only, e.g. --baseline . --baseline-options=-Djgrad.simd.bits=256 "
                        "(this checkout against itself at another vector width)")
    p.add_argument("--threads", type=int, default=2,
                   help="threads on each side (default 2; jgrad gets -Djgrad.threads, PyTorch set_num_threads)")
    a = p.parse_args()
    cases = [c.strip() for c in a.cases.split(",") if c.strip()]
    cases = [z for c in cases for z in (ZOO_CASES if c == "zoo" else [c])]
    if a.baseline and not os.access(os.path.join(a.baseline, "jgrad"), os.X_OK):
        sys.exit(f"--baseline {a.baseline}: no jgrad launcher there (give the root of another jgrad checkout, e.g. a git worktree)")
    subprocess.run([os.path.join(ROOT, "jgrad"), "build"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, LD_LIBRARY_PATH="/usr/lib/x86_64-linux-gnu/openblas-openmp")
    # The thread count goes to the JVM through JAVA_TOOL_OPTIONS, which adds to the launcher's own options.
    tool = (os.environ.get("JAVA_TOOL_OPTIONS", "") + f" -Djgrad.threads={a.threads}").strip()
    jg_env = dict(os.environ, JAVA_TOOL_OPTIONS=tool)
    if a.baseline:
        base = os.path.abspath(a.baseline)
        subprocess.run([os.path.join(base, "jgrad"), "build"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start():
        jg = Server("jgrad", [os.path.join(ROOT, "jgrad"), "bench", "--lockstep", "--seconds", str(a.seconds)], env=jg_env)
        if a.baseline:
            base_env = dict(jg_env, JAVA_TOOL_OPTIONS=(tool + " " + a.baseline_options).strip())
            pt = Server("baseline", [os.path.join(base, "jgrad"), "bench", "--lockstep", "--seconds", str(a.seconds)], env=base_env, cwd=base)
        else:
            pt = Server("torch", ["/usr/bin/python3", os.path.join(ROOT, "jmh", "peers", "torch_peer.py"), "--lockstep",
                                  "--threads", str(a.threads), "--seconds", str(a.seconds)], env=env)
        return jg, pt

    jg, pt = start()
    peer = pt.name
    jg_width, peer_width = width(jg), width(pt)
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = next((l.split(":", 1)[1].strip() for l in cpu.splitlines() if l.startswith("Model name")), "?")
    isa = cpu_isa()
    print(f"== {model}, {isa}, {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
          f"{a.rounds} rounds of {a.seconds} s per side and case, {a.threads} thread(s) each")
    print(f"== jgrad: {jg.info} (vector width in use / preferred: {width(jg)})")
    print(f"== peer ({pt.name}{': ' + os.path.abspath(a.baseline) if a.baseline else ''}): {pt.info}")
    rows = []
    for group in ([[c] for c in cases] if a.fresh else [cases]):
        if not jg:
            jg, pt = start()
        try:
            for c in group:  # first use builds and warms the case on both sides; not counted
                jg.measure(c)
                pt.measure(c)
            for r in range(a.rounds):
                for c in group:
                    pair = [(jg, "jgrad"), (pt, "torch")]
                    if r % 2:
                        pair.reverse()
                    got = {who: srv.measure(c) for srv, who in pair}
                    rows.append({"round": r + 1, "case": c, "jgrad": got["jgrad"], "torch": got["torch"],
                                 "ratio": got["jgrad"]["rate"] / got["torch"]["rate"],
                                 "cpu": model, "isa": isa, "jgrad_width": jg_width, "peer_width": peer_width})
                print(f"round {r + 1} done" + (f" ({group[0]})" if a.fresh else ""), file=sys.stderr)
        finally:
            jg.close()
            pt.close()
            jg = pt = None
    if a.json:  # first, so that a failure in the table below loses nothing
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)
    print(f"{'case':20s} {'jgrad (median)':>16s} {peer + ' (median)':>16s} {'unit':9s} {'ratio: median':>13s}  "
          f"{'middle half':>13s}  {'all rounds':>13s}  {'peak RSS MB':>15s}  {'isa':8s} {'width':>11s}")
    for c in cases:
        rs = sorted(x["ratio"] for x in rows if x["case"] == c)
        j = statistics.median(x["jgrad"]["rate"] for x in rows if x["case"] == c)
        t = statistics.median(x["torch"]["rate"] for x in rows if x["case"] == c)
        unit = next(x["jgrad"]["unit"] for x in rows if x["case"] == c)
        q1, q3 = rs[len(rs) // 4], rs[-(len(rs) // 4) - 1]
        # peak RSS of each process at its last answer for this case (with --fresh: this case's own peak)
        mem = {who: max(x[who].get("peak_rss_mb", -1) for x in rows if x["case"] == c) for who in ("jgrad", "torch")}
        print(f"{c:20s} {j:16,.1f} {t:16,.1f} {unit:9s} {statistics.median(rs):12.2f}x  "
              f"{q1:5.2f}-{q3:.2f}x  {rs[0]:5.2f}-{rs[-1]:.2f}x  {mem['jgrad']:6,.0f} / {mem['torch']:6,.0f}  {isa:8s} {jg_width:>11s}"
              + (f" vs {peer_width}" if a.baseline else ""))


if __name__ == "__main__":
    main()
