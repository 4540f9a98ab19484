package jgrad.backend.opencl;

import java.util.ArrayList;
import java.util.List;
import jgrad.backend.Backend;
import jgrad.backend.BackendProvider;

/**
 * Registers the OpenCL devices: {@code opencl} (the first GPU, else device 0) and {@code opencl:N}.
 * Nothing here touches OpenCL until a device is named or listed.
 */
public final class OpenClProvider implements BackendProvider {
    @Override
    public String kind() {
        return "opencl";
    }

    @Override
    public String resolve(String spec) {
        return "opencl:" + OpenCl.find(spec).index();
    }

    @Override
    public Backend open(String name) {
        return new OpenClBackend(OpenCl.find(name));
    }

    @Override
    public List<String> describeDevices() {
        List<OpenCl.DeviceInfo> devices;
        try {
            devices = OpenCl.devices();
        } catch (IllegalStateException e) {
            return List.of("opencl     not available: " + e.getMessage());
        }
        if (devices.isEmpty()) return List.of("opencl     no OpenCL platform found; " + OpenCl.HOW_TO_GET_ONE);
        List<String> lines = new ArrayList<>();
        for (OpenCl.DeviceInfo d : devices) lines.add(d.describe());
        lines.add("(--device opencl is " + OpenCl.find("opencl").describe().split(" ")[0] + ")");
        return lines;
    }
}
