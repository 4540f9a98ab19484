package jgrad.backend.opencl;

/**
 * gemm_tiled's tuning: a TSM×TSN block of C per work-group, TSK deep slices, WPTM×WPTN outputs
 * per work-item; set with {@code -Djgrad.opencl.gemm=TSM,TSN,TSK,WPTM,WPTN} (default
 * 128,128,8,8,8, the fastest of the tilings tried on an H100: docs/performance.md) and compiled
 * into the kernel as -D options.
 */
record GemmTiling(int tsm, int tsn, int tsk, int wptm, int wptn) {
    GemmTiling {
        int threads = (tsm / wptm) * (tsn / wptn);
        if (tsm % wptm != 0 || tsn % wptn != 0 || (tsm * tsk) % threads != 0 || (tsn * tsk) % threads != 0) {
            throw new IllegalArgumentException("jgrad.opencl.gemm: tile " + tsm + "×" + tsn + "×" + tsk + " with " + wptm + "×" + wptn
                    + " per work-item does not divide evenly (TSM·TSK and TSN·TSK must be multiples of the work-group size)");
        }
    }

    static GemmTiling parse(String spec) {
        String[] p = spec.split(",");
        if (p.length != 5) throw new IllegalArgumentException("jgrad.opencl.gemm: expected TSM,TSN,TSK,WPTM,WPTN, got '" + spec + "'");
        int[] v = new int[5];
        for (int i = 0; i < 5; i++) v[i] = Integer.parseInt(p[i].trim());
        return new GemmTiling(v[0], v[1], v[2], v[3], v[4]);
    }

    String options() {
        return "-DTSM=" + tsm + " -DTSN=" + tsn + " -DTSK=" + tsk + " -DWPTM=" + wptm + " -DWPTN=" + wptn;
    }

    int localX() {
        return tsn / wptn;
    }

    /** gemm_tiled_vec4's preconditions on the tiling: whole float4s per work-item. */
    boolean vectorizable() {
        int threads = localX() * localY();
        return tsk % 4 == 0 && tsn % 4 == 0 && (tsm * tsk / threads) % 4 == 0 && (tsn * tsk / threads) % 4 == 0;
    }

    int localY() {
        return tsm / wptm;
    }
}
