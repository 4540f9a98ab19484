package jgrad.backend.opencl;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Finds the OpenCL devices of this machine. Devices are numbered across all platforms in the order
 * the ICD loader lists them: {@code opencl:0}, {@code opencl:1}, … ({@code opencl} alone is the
 * first GPU, or device 0 if there is none).
 */
public final class OpenCl {
    /** What to tell someone who has no OpenCL implementation. */
    public static final String HOW_TO_GET_ONE = "install an OpenCL implementation and its loader: for a CPU implementation"
            + " the Debian packages pocl-opencl-icd and ocl-icd-opencl-dev; for an NVIDIA GPU, the driver's OpenCL"
            + " library (an /etc/OpenCL/vendors/nvidia.icd file naming libnvidia-opencl.so.1) and ocl-icd-libopencl1";

    /** One device as the listing shows it. */
    public record DeviceInfo(int index, String platform, String name, String version, boolean gpu,
                             long globalMemBytes, int computeUnits, long maxWorkGroupSize,
                             cl_platform_id platformId, cl_device_id deviceId) {
        public String describe() {
            return String.format(Locale.ROOT, "opencl:%d  %s (%s; %s), %s, %.1f GiB, %d compute units", index, name, platform,
                    version, gpu ? "GPU" : "CPU", globalMemBytes / (double) (1L << 30), computeUnits);
        }
    }

    private static volatile List<DeviceInfo> devices;

    private OpenCl() {}

    /**
     * Every OpenCL device of this machine (an empty list when there is no platform).
     *
     * @throws IllegalStateException when the OpenCL loader library itself cannot be loaded
     */
    public static List<DeviceInfo> devices() {
        List<DeviceInfo> d = devices;
        if (d == null) {
            synchronized (OpenCl.class) {
                if (devices == null) devices = List.copyOf(discover());
                d = devices;
            }
        }
        return d;
    }

    private static List<DeviceInfo> discover() {
        List<DeviceInfo> out = new ArrayList<>();
        int[] count = new int[1];
        try {
            CL.setExceptionsEnabled(true);
            clGetPlatformIDs(0, null, count);
        } catch (CLException e) {
            return out;  // CL_PLATFORM_NOT_FOUND_KHR: a loader but no platform
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IllegalStateException("OpenCL could not be loaded (" + e.getMessage() + "); " + HOW_TO_GET_ONE, e);
        }
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        clGetPlatformIDs(platforms.length, platforms, null);
        for (cl_platform_id p : platforms) {
            int[] n = new int[1];
            try {
                clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, n);
            } catch (CLException e) {
                continue;  // a platform without devices
            }
            cl_device_id[] ids = new cl_device_id[n[0]];
            clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
            for (cl_device_id id : ids) {
                long type = deviceLong(id, CL_DEVICE_TYPE);
                out.add(new DeviceInfo(out.size(), platformString(p, CL_PLATFORM_NAME), deviceString(id, CL_DEVICE_NAME),
                        deviceString(id, CL_DEVICE_VERSION), (type & CL_DEVICE_TYPE_GPU) != 0,
                        deviceLong(id, CL_DEVICE_GLOBAL_MEM_SIZE), (int) deviceInt(id, CL_DEVICE_MAX_COMPUTE_UNITS),
                        deviceSize(id, CL_DEVICE_MAX_WORK_GROUP_SIZE), p, id));
            }
        }
        return out;
    }

    /**
     * The device named by {@code spec}: {@code opencl} (the first GPU, else device 0) or
     * {@code opencl:N}. The error says what exists, or how to install OpenCL when nothing does.
     */
    public static DeviceInfo find(String spec) {
        List<DeviceInfo> all = devices();
        if (all.isEmpty()) {
            throw new IllegalStateException("device '" + spec + "': no OpenCL platform found on this machine; " + HOW_TO_GET_ONE);
        }
        if (spec.equals("opencl")) {
            return all.stream().filter(DeviceInfo::gpu).findFirst().orElse(all.get(0));
        }
        int index;
        try {
            index = Integer.parseInt(spec.substring("opencl:".length()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("device '" + spec + "': expected opencl or opencl:N with N a number");
        }
        if (index < 0 || index >= all.size()) {
            throw new IllegalArgumentException("device '" + spec + "': there are " + all.size()
                    + " OpenCL devices (opencl:0 … opencl:" + (all.size() - 1) + "); ./jgrad devices lists them");
        }
        return all.get(index);
    }

    // ---- info queries ----------------------------------------------------------------------

    static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, b.length, Pointer.to(b), null);
        return new String(b, 0, Math.max(0, b.length - 1)).trim();
    }

    static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, b.length, Pointer.to(b), null);
        return new String(b, 0, Math.max(0, b.length - 1)).trim();
    }

    static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    static long deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(d, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0];
    }

    static long deviceSize(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }
}
