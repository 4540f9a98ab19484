package jgrad.cli;

import java.util.concurrent.Callable;
import jgrad.backend.BackendProvider;
import jgrad.tensor.Device;
import picocli.CommandLine.Command;

/** {@code ./jgrad devices}: what {@code --device} can name on this machine, as each registered backend lists it. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the devices --device accepts: cpu, reference and every OpenCL device.")
public final class DevicesCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        for (BackendProvider p : Device.providers()) {
            for (String line : p.describeDevices()) System.out.println(line);
        }
        return 0;
    }
}
