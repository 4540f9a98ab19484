// gemm.cl — batched, strided single-precision matrix product with transpose flags.
//
// What it computes: for each batch b (the third NDRange dimension),
//   C_b = alpha · op(A_b) · op(B_b) + beta · C_b,   op(X) = Xᵀ when its flag is set,
// with op(A) m×k, op(B) k×n, C m×n. When beta is 0, C is not read (it may hold NaN).
//
// Arguments: gemm_t g (sizes, offsets, leading dimensions, batch strides), alpha, beta, a, b, c.
// Buffer layout: each matrix row-major in its buffer with a leading dimension (distance between
// stored rows) and a batch stride, from an offset:
//   op(A)[i][p] = transA ? a[aOff + b·aBatch + p·lda + i] : a[aOff + b·aBatch + i·lda + p]
//   op(B)[p][j] = transB ? b[bOff + b·bBatch + j·ldb + p] : b[bOff + b·bBatch + p·ldb + j]
//
// Kernels:
//   gemm_naive  one work-item per C element, a plain dot product. Any sizes. The oracle's twin.
//   gemm_tiled_vec4  gemm_tiled with float4 loads from global memory (preconditions at the kernel).
//   gemm_tiled  a TSM×TSN block of C per work-group, k walked in TSK-deep slices staged in local
//               memory; each work-item keeps a WPTM×WPTN block of C in registers (rows ty + w·RTSM,
//               columns tx + w·RTSN: strided, so that neighbouring work-items read neighbouring
//               local-memory words and write neighbouring C elements), and fetches the next slice
//               into registers while it multiplies the current one. Loads are bounds-checked
//               (zero-filled), so any m, n, k and any leading dimensions work; the host launches it
//               with local size (RTSN, RTSM) and global size rounded up to whole tiles.
//
// Tuning parameters (override with -D at build time, see OpenClBackend):
//   TSM, TSN   rows and columns of C per work-group            (default 128, 128)
//   TSK        depth of the k slice held in local memory        (default 8)
//   WPTM, WPTN rows and columns of C per work-item              (default 8, 8)
// Preconditions: TSM·TSK and TSN·TSK are multiples of the work-group size RTSM·RTSN.

#ifndef TSM
#define TSM 128
#endif
#ifndef TSN
#define TSN 128
#endif
#ifndef TSK
#define TSK 8
#endif
#ifndef WPTM
#define WPTM 8
#endif
#ifndef WPTN
#define WPTN 8
#endif
// The sizes and strides of one call, passed by value in one argument (fewer arguments to set per
// launch: each costs the host a call into the driver).
typedef struct {
    int transA, transB, m, n, k;
    int aOff, lda, aBatch;
    int bOff, ldb, bBatch;
    int cOff, ldc, cBatch;
} gemm_t;

#define RTSM (TSM / WPTM)          // work-items along m
#define RTSN (TSN / WPTN)          // work-items along n
#define THREADS (RTSM * RTSN)
#define LPTA (TSM * TSK / THREADS) // A elements each work-item loads per slice
#define LPTB (TSN * TSK / THREADS)

__kernel void gemm_naive(gemm_t g, float alpha, float beta, __global const float *a,
                         __global const float *b, __global float *c) {
    const int transA = g.transA, transB = g.transB, m = g.m, n = g.n, k = g.k;
    const int aOff = g.aOff, lda = g.lda, aBatch = g.aBatch, bOff = g.bOff, ldb = g.ldb, bBatch = g.bBatch;
    const int cOff = g.cOff, ldc = g.ldc, cBatch = g.cBatch;
    int j = get_global_id(0), i = get_global_id(1), t = get_global_id(2);
    if (i >= m || j >= n) return;
    __global const float *A = a + aOff + t * aBatch;
    __global const float *B = b + bOff + t * bBatch;
    float dot = 0.0f;
    for (int p = 0; p < k; p++) {
        float aip = transA ? A[p * lda + i] : A[i * lda + p];
        float bpj = transB ? B[j * ldb + p] : B[p * ldb + j];
        dot = fma(aip, bpj, dot);
    }
    __global float *C = c + cOff + t * cBatch + i * ldc + j;
    *C = beta == 0.0f ? alpha * dot : alpha * dot + beta * *C;
}

__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
void gemm_tiled(gemm_t g, float alpha, float beta, __global const float *a,
                __global const float *b, __global float *c) {
    const int transA = g.transA, transB = g.transB, m = g.m, n = g.n, k = g.k;
    const int aOff = g.aOff, lda = g.lda, aBatch = g.aBatch, bOff = g.bOff, ldb = g.ldb, bBatch = g.bBatch;
    const int cOff = g.cOff, ldc = g.ldc, cBatch = g.cBatch;
    __local float As[TSK][TSM];  // As[p][i] = op(A)[row0 + i][p0 + p]
    __local float Bs[TSK][TSN];  // Bs[p][j] = op(B)[p0 + p][col0 + j]
    int tx = get_local_id(0), ty = get_local_id(1), tid = ty * RTSN + tx;
    int row0 = get_group_id(1) * TSM, col0 = get_group_id(0) * TSN, t = get_global_id(2);
    __global const float *A = a + aOff + t * aBatch;
    __global const float *B = b + bOff + t * bBatch;

    float acc[WPTM][WPTN];
    for (int wm = 0; wm < WPTM; wm++)
        for (int wn = 0; wn < WPTN; wn++) acc[wm][wn] = 0.0f;

    // Each work-item's share of a slice: LPTA elements of A and LPTB of B. Consecutive work-items
    // take consecutive addresses of the stored matrix: along p when A is stored row-major (not
    // transposed), along i when transposed (B likewise). The next slice is fetched into registers
    // while the current one is multiplied, so the global loads overlap the arithmetic.
    float aNext[LPTA], bNext[LPTB];
    int ai[LPTA], ap[LPTA], bj[LPTB], bp[LPTB];
    for (int l = 0; l < LPTA; l++) {
        int e = l * THREADS + tid;
        if (transA) { ai[l] = e % TSM; ap[l] = e / TSM; } else { ap[l] = e % TSK; ai[l] = e / TSK; }
    }
    for (int l = 0; l < LPTB; l++) {
        int e = l * THREADS + tid;
        if (transB) { bp[l] = e % TSK; bj[l] = e / TSK; } else { bj[l] = e % TSN; bp[l] = e / TSN; }
    }
    #define FETCH(p0)                                                                                   \
        for (int l = 0; l < LPTA; l++) {                                                                \
            int gi = row0 + ai[l], gp = (p0) + ap[l];                                                   \
            aNext[l] = (gi < m && gp < k) ? (transA ? A[gp * lda + gi] : A[gi * lda + gp]) : 0.0f;      \
        }                                                                                               \
        for (int l = 0; l < LPTB; l++) {                                                                \
            int gj = col0 + bj[l], gp = (p0) + bp[l];                                                   \
            bNext[l] = (gj < n && gp < k) ? (transB ? B[gj * ldb + gp] : B[gp * ldb + gj]) : 0.0f;      \
        }
    FETCH(0)

    for (int p0 = 0; p0 < k; p0 += TSK) {
        for (int l = 0; l < LPTA; l++) As[ap[l]][ai[l]] = aNext[l];
        for (int l = 0; l < LPTB; l++) Bs[bp[l]][bj[l]] = bNext[l];
        barrier(CLK_LOCAL_MEM_FENCE);
        if (p0 + TSK < k) { FETCH(p0 + TSK) }

        // Outer products of a column of As and a row of Bs, in registers.
        #pragma unroll
        for (int p = 0; p < TSK; p++) {
            float bReg[WPTN];
            #pragma unroll
            for (int wn = 0; wn < WPTN; wn++) bReg[wn] = Bs[p][tx + wn * RTSN];
            #pragma unroll
            for (int wm = 0; wm < WPTM; wm++) {
                float aReg = As[p][ty + wm * RTSM];
                #pragma unroll
                for (int wn = 0; wn < WPTN; wn++) acc[wm][wn] = fma(aReg, bReg[wn], acc[wm][wn]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    #undef FETCH

    for (int wm = 0; wm < WPTM; wm++) {
        int gi = row0 + ty + wm * RTSM;
        if (gi >= m) continue;
        for (int wn = 0; wn < WPTN; wn++) {
            int gj = col0 + tx + wn * RTSN;
            if (gj >= n) continue;
            __global float *C = c + cOff + t * cBatch + gi * ldc + gj;
            *C = beta == 0.0f ? alpha * acc[wm][wn] : alpha * acc[wm][wn] + beta * *C;
        }
    }
}

// Variant with vector loads. Preconditions (checked by the host): neither operand transposed; lda,
// ldb, the offsets and the batch strides multiples of 4, so that a float4 at a multiple-of-4 column
// is 16-byte aligned; TSK and TSN multiples of 4 and LPTA, LPTB multiples of 4.
__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
void gemm_tiled_vec4(gemm_t g, float alpha, float beta, __global const float *a,
                __global const float *b, __global float *c) {
    const int transA = g.transA, transB = g.transB, m = g.m, n = g.n, k = g.k;
    const int aOff = g.aOff, lda = g.lda, aBatch = g.aBatch, bOff = g.bOff, ldb = g.ldb, bBatch = g.bBatch;
    const int cOff = g.cOff, ldc = g.ldc, cBatch = g.cBatch;
    __local float As[TSK][TSM];  // As[p][i] = op(A)[row0 + i][p0 + p]
    __local float Bs[TSK][TSN];  // Bs[p][j] = op(B)[p0 + p][col0 + j]
    int tx = get_local_id(0), ty = get_local_id(1), tid = ty * RTSN + tx;
    int row0 = get_group_id(1) * TSM, col0 = get_group_id(0) * TSN, t = get_global_id(2);
    __global const float *A = a + aOff + t * aBatch;
    __global const float *B = b + bOff + t * bBatch;

    float acc[WPTM][WPTN];
    for (int wm = 0; wm < WPTM; wm++)
        for (int wn = 0; wn < WPTN; wn++) acc[wm][wn] = 0.0f;

    // As gemm_tiled, but each work-item fetches its share as float4s: four neighbouring p of a
    // row of A, four neighbouring j of a row of B (both stored row-major). A float4 that reaches
    // past the matrix edge is fetched element by element, with zeros outside.
    float4 aNext[LPTA / 4], bNext[LPTB / 4];
    int ai[LPTA / 4], ap[LPTA / 4], bj[LPTB / 4], bp[LPTB / 4];
    for (int l = 0; l < LPTA / 4; l++) {
        int e = l * THREADS + tid;
        ap[l] = (e % (TSK / 4)) * 4; ai[l] = e / (TSK / 4);
    }
    for (int l = 0; l < LPTB / 4; l++) {
        int e = l * THREADS + tid;
        bj[l] = (e % (TSN / 4)) * 4; bp[l] = e / (TSN / 4);
    }
    #define FETCH4(p0)                                                                                  \
        for (int l = 0; l < LPTA / 4; l++) {                                                            \
            int gi = row0 + ai[l], gp = (p0) + ap[l];                                                   \
            if (gi < m && gp + 3 < k) aNext[l] = *((__global const float4 *) (A + gi * lda + gp));      \
            else aNext[l] = (float4) (gi < m && gp < k ? A[gi * lda + gp] : 0.0f,                       \
                                      gi < m && gp + 1 < k ? A[gi * lda + gp + 1] : 0.0f,               \
                                      gi < m && gp + 2 < k ? A[gi * lda + gp + 2] : 0.0f, 0.0f);        \
        }                                                                                               \
        for (int l = 0; l < LPTB / 4; l++) {                                                            \
            int gj = col0 + bj[l], gp = (p0) + bp[l];                                                   \
            if (gp < k && gj + 3 < n) bNext[l] = *((__global const float4 *) (B + gp * ldb + gj));      \
            else bNext[l] = (float4) (gp < k && gj < n ? B[gp * ldb + gj] : 0.0f,                       \
                                      gp < k && gj + 1 < n ? B[gp * ldb + gj + 1] : 0.0f,               \
                                      gp < k && gj + 2 < n ? B[gp * ldb + gj + 2] : 0.0f, 0.0f);        \
        }
    FETCH4(0)

    for (int p0 = 0; p0 < k; p0 += TSK) {
        for (int l = 0; l < LPTA / 4; l++) {
            As[ap[l]][ai[l]] = aNext[l].x; As[ap[l] + 1][ai[l]] = aNext[l].y;
            As[ap[l] + 2][ai[l]] = aNext[l].z; As[ap[l] + 3][ai[l]] = aNext[l].w;
        }
        for (int l = 0; l < LPTB / 4; l++) vstore4(bNext[l], 0, &Bs[bp[l]][bj[l]]);
        barrier(CLK_LOCAL_MEM_FENCE);
        if (p0 + TSK < k) { FETCH4(p0 + TSK) }

        // Outer products of a column of As and a row of Bs, in registers.
        #pragma unroll
        for (int p = 0; p < TSK; p++) {
            float bReg[WPTN];
            #pragma unroll
            for (int wn = 0; wn < WPTN; wn++) bReg[wn] = Bs[p][tx + wn * RTSN];
            #pragma unroll
            for (int wm = 0; wm < WPTM; wm++) {
                float aReg = As[p][ty + wm * RTSM];
                #pragma unroll
                for (int wn = 0; wn < WPTN; wn++) acc[wm][wn] = fma(aReg, bReg[wn], acc[wm][wn]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    #undef FETCH4

    for (int wm = 0; wm < WPTM; wm++) {
        int gi = row0 + ty + wm * RTSM;
        if (gi >= m) continue;
        for (int wn = 0; wn < WPTN; wn++) {
            int gj = col0 + tx + wn * RTSN;
            if (gj >= n) continue;
            __global float *C = c + cOff + t * cBatch + gi * ldc + gj;
            *C = beta == 0.0f ? alpha * acc[wm][wn] : alpha * acc[wm][wn] + beta * *C;
        }
    }
}
