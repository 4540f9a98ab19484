// optim.cl — optimizer updates, one work-item per parameter element.
//
// sgd_step, as torch.optim.SGD: g = grad + λ·θ; with momentum μ: v = g on the first step, else
// v = μ·v + (1 − dampening)·g, then g = g + μ·v (Nesterov) or g = v; finally θ = θ − lr·g.
//
// adam_step, as torch.optim.Adam (no amsgrad): g = grad + λ·θ; m = β₁·m + (1 − β₁)·g;
// v = β₂·v + (1 − β₂)·g²; θ = θ − (lr / c₁) · m / (√v / √c₂ + ε), with the bias corrections
// c₁ = 1 − β₁ᵗ and c₂ = 1 − β₂ᵗ of step t computed on the host.
//
// Buffer layout (both): param from pOff, grad from gOff, the state (velocity; m and v) from 0,
// n contiguous elements each. velocity is not touched when μ = 0 (the host passes any buffer).
//
// Tuning parameters: none.

__kernel void sgd_step(int n, __global float *param, int pOff, __global const float *grad, int gOff,
                       __global float *velocity, float lr, float momentum, float dampening,
                       float weightDecay, int nesterov, int firstStep) {
    int i = get_global_id(0);
    if (i >= n) return;
    float theta = param[pOff + i];
    float d = grad[gOff + i] + weightDecay * theta;
    if (momentum != 0.0f) {
        float v = firstStep ? d : momentum * velocity[i] + (1.0f - dampening) * d;
        velocity[i] = v;
        d = nesterov ? d + momentum * v : v;
    }
    param[pOff + i] = theta - lr * d;
}

__kernel void adam_step(int n, __global float *param, int pOff, __global const float *grad, int gOff,
                        __global float *m, __global float *v, float lr, float beta1, float beta2, float eps,
                        float weightDecay, float biasCorrection1, float biasCorrection2) {
    int i = get_global_id(0);
    if (i >= n) return;
    float theta = param[pOff + i];
    float d = grad[gOff + i] + weightDecay * theta;
    float mi = beta1 * m[i] + (1.0f - beta1) * d;
    float vi = beta2 * v[i] + (1.0f - beta2) * d * d;
    m[i] = mi;
    v[i] = vi;
    param[pOff + i] = theta - (lr / biasCorrection1) * mi / (sqrt(vi) / sqrt(biasCorrection2) + eps);
}
