// optim.cl — optimizer updates, one work-item per parameter element.
//
// What it computes: one step of an optimizer's rule in one pass, the rule being defined in tensor
// ops above the seam (and checked against these kernels by BackendContractTest):
//   sgd_step   jgrad.optim.SGD.update (torch.optim.SGD)
//   adam_step  jgrad.optim.Adam.update without amsgrad (torch.optim.Adam); the bias corrections
//              c₁ = 1 − β₁ᵗ and c₂ = 1 − β₂ᵗ of step t come from the host.
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
