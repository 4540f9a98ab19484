// optim.cl — optimizer updates, one work-item per parameter element.
//
// sgd_step, as torch.optim.SGD: g = grad + λ·θ; with momentum μ: v = g on the first step, else
// v = μ·v + (1 − dampening)·g, then g = g + μ·v (Nesterov) or g = v; finally θ = θ − lr·g.
//
// Buffer layout: param from pOff, grad from gOff, velocity from 0, n contiguous elements each.
// velocity is not touched when μ = 0 (the host passes any buffer).
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
