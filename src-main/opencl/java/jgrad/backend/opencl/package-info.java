/**
 * The OpenCL backend: {@link jgrad.backend.opencl.OpenClBackend} runs every primitive as a kernel
 * from kernels-opencl/*.cl (read those next to it). {@link jgrad.backend.opencl.OpenCl} finds the
 * devices; {@code ClContext} compiles and launches; {@code ClMemory} reuses device memory;
 * {@code OpCodes} generates the kernels' op codes from the enums. The only package that touches JOCL.
 */
package jgrad.backend.opencl;
