package jgrad.cli;

import java.util.List;
import java.util.concurrent.Callable;
import jgrad.backend.opencl.OpenCl;
import jgrad.backend.simd.Simd;
import jgrad.tensor.Device;
import picocli.CommandLine.Command;

/** {@code ./jgrad devices}: what {@code --device} can name on this machine. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the devices --device accepts: cpu, reference and every OpenCL device.")
public final class DevicesCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.printf("cpu        %s backend, %s, %d threads%n", Device.cpu().backend().name(),
                Simd.enabled() ? Simd.BITS + "-bit vectors" : "SIMD off", Runtime.getRuntime().availableProcessors());
        System.out.println("reference  plain loops, 1 thread (the oracle)");
        List<OpenCl.DeviceInfo> devices;
        try {
            devices = OpenCl.devices();
        } catch (IllegalStateException e) {
            System.out.println("opencl     not available: " + e.getMessage());
            return 0;
        }
        if (devices.isEmpty()) {
            System.out.println("opencl     no OpenCL platform found; " + OpenCl.HOW_TO_GET_ONE);
        }
        for (OpenCl.DeviceInfo d : devices) System.out.println(d.describe());
        if (!devices.isEmpty()) {
            System.out.println("(--device opencl is " + OpenCl.find("opencl").describe().split(" ")[0] + ")");
        }
        return 0;
    }
}
