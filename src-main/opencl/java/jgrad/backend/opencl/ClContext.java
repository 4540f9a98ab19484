package jgrad.backend.opencl;

import static org.jocl.CL.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_event;
import org.jocl.cl_queue_properties;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

/**
 * One OpenCL context on one device, with its single in-order command queue: every kernel runs
 * after the one enqueued before it, so no events are needed, and only {@link OpenClBackend#read}
 * waits. Kernel sources come from the classpath ({@code jgrad/opencl/<file>.cl}, from
 * kernels-opencl/) and are compiled once per context, on first use, with the build options
 * {@code -Djgrad.opencl.build="-DTSM=64 …"} appends to.
 */
final class ClContext {
    final OpenCl.DeviceInfo device;
    final cl_context context;
    final cl_command_queue queue;
    private final String buildOptions;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private final Map<String, String> extraOptions;
    private final ClProfile profile;  // null unless -Djgrad.opencl.profile=true

    /**
     * @param extraOptions build options per kernel file: the host's tuning choices (GEMM tile sizes)
     *                     and the op codes generated from the enums ({@link OpCodes})
     */
    ClContext(OpenCl.DeviceInfo device, Map<String, String> extraOptions) {
        this.device = device;
        this.extraOptions = Map.copyOf(extraOptions);
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, device.platformId());
        this.context = clCreateContext(props, 1, new cl_device_id[] {device.deviceId()}, null, null, null);
        boolean profiling = Boolean.getBoolean("jgrad.opencl.profile");
        cl_queue_properties queueProps = new cl_queue_properties();
        if (profiling) queueProps.addProperty(CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE);
        this.queue = clCreateCommandQueueWithProperties(context, device.deviceId(), queueProps, null);
        this.profile = profiling ? new ClProfile(device.name()) : null;
        this.buildOptions = ("-cl-std=CL1.2 " + System.getProperty("jgrad.opencl.build", "")).trim();
    }

    /** The kernel {@code name} of kernels-opencl/{@code file}.cl, compiling the file the first time. */
    synchronized cl_kernel kernel(String file, String name) {
        String key = file + "/" + name;
        cl_kernel k = kernels.get(key);
        if (k == null) {
            cl_program program = programs.computeIfAbsent(file, this::build);
            try {
                k = clCreateKernel(program, name, null);
            } catch (CLException e) {
                throw new IllegalStateException("opencl: no kernel '" + name + "' in " + file + ".cl: " + e.getMessage(), e);
            }
            kernels.put(key, k);
        }
        return k;
    }

    private cl_program build(String file) {
        String source = source(file);
        cl_program program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        String options = (buildOptions + " " + extraOptions.getOrDefault(file, "")).trim();
        try {
            clBuildProgram(program, 0, null, options, null, null);
        } catch (CLException e) {
            throw new IllegalStateException("opencl: " + file + ".cl failed to compile for " + device.name()
 + " with options '" + options + "' (" + e.getMessage() + "). Build log:\n" + buildLog(program), e);
        }
        return program;
    }

    private String buildLog(cl_program program) {
        long[] size = new long[1];
        clGetProgramBuildInfo(program, device.deviceId(), CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] log = new byte[(int) size[0]];
        clGetProgramBuildInfo(program, device.deviceId(), CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
        return new String(log, StandardCharsets.UTF_8).trim();
    }

    static String source(String file) {
        String path = "/jgrad/opencl/" + file + ".cl";
        try (InputStream in = ClContext.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("opencl: kernel source " + path + " is not on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("opencl: cannot read kernel source " + path, e);
        }
    }

    /**
     * Sets the arguments and enqueues {@code file/name} over {@code global} work-items (rounded up
     * to whole work-groups when {@code local} is given). Arguments: a {@link ClBuffer} (its memory),
     * Integer, Float, Boolean (as int 0/1), or int[] (a struct of ints passed by value). Errors name
     * the kernel and its sizes.
     */
    void launch(String file, String name, long[] global, long[] local, Object... args) {
        cl_kernel k = kernel(file, name);
        long[] rounded = global.clone();
        for (int d = 0; d < rounded.length; d++) {
            if (rounded[d] == 0) return;  // nothing to do
            if (local != null) rounded[d] = (rounded[d] + local[d] - 1) / local[d] * local[d];
        }
        try {
            long t0 = profile != null ? System.nanoTime() : 0;
            cl_event event = profile != null ? new cl_event() : null;
            synchronized (k) {
                for (int i = 0; i < args.length; i++) setArg(k, i, args[i]);
                clEnqueueNDRangeKernel(queue, k, rounded.length, null, rounded, local, 0, null, event);
            }
            if (profile != null) profile.record(file + "/" + name, event, System.nanoTime() - t0);
        } catch (CLException e) {
            throw new IllegalStateException("opencl: kernel " + file + "/" + name + " failed on " + device.name()
                    + " with global size " + Arrays.toString(global) + ", local size " + Arrays.toString(local)
                    + ": " + e.getMessage(), e);
        }
    }

    private static void setArg(cl_kernel k, int i, Object arg) {
        switch (arg) {
            case ClBuffer b -> clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(b.mem()));
            case cl_mem m -> clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(m));
            case Integer v -> clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
            case Float v -> clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
            case Boolean v -> clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v ? 1 : 0}));
            case int[] struct -> clSetKernelArg(k, i, (long) struct.length * Sizeof.cl_int, Pointer.to(struct));
            default -> throw new IllegalArgumentException("opencl: unsupported kernel argument " + arg.getClass());
        }
    }

    /** Sets n floats of {@code mem} to zero (a driver fill, no kernel of ours). */
    void zero(cl_mem mem, int n) {
        long t0 = profile != null ? System.nanoTime() : 0;
        cl_event event = profile != null ? new cl_event() : null;
        clEnqueueFillBuffer(queue, mem, Pointer.to(new float[] {0f}), Sizeof.cl_float, 0, (long) n * Sizeof.cl_float, 0, null, event);
        if (profile != null) profile.record("(fill zeros)", event, System.nanoTime() - t0);
    }

    /** Waits until every enqueued command has finished. */
    void finish() {
        clFinish(queue);
    }
}
