// Stand-ins for the libraries torchvision/_C.so names that a CPU-only ngbench
// process lacks (see models/vision/torchvision_ops.h). One source, built once
// per library with a SHIM_* definition choosing what it exports; the sonames
// come from src/models/CMakeLists.txt. No libtorch headers: the symbols are
// given by their mangled names.
//
//  - libtorch.so, libtorch_python.so: _C.so uses none of their symbols; empty.
//  - libcudart.so.13: the CUDA runtime entry points _C.so references. The
//    fat-binary registration calls run in _C.so's static initializers and are
//    no-ops here; every other function aborts with a message if called.
//  - libc10_cuda.so, libtorch_cuda.so: the c10::cuda / at::cuda functions
//    _C.so's CUDA kernels call (abort if called), and the allocator pointer
//    (null) its code reads.
// Nothing on the CPU path calls into them: torchvision's CPU kernels are
// plain ATen code.
#include <cstdio>
#include <cstdlib>

namespace {

[[noreturn]] void unavailable(const char* symbol) {
  std::fprintf(stderr,
               "ngbench: %s called: torchvision's CUDA code is not available in this CPU-only process "
               "(ngbench's shim stands in for the CUDA libraries)\n",
               symbol);
  std::abort();
}

}  // namespace

#define NGB_EXPORT extern "C" __attribute__((visibility("default")))
// A function exported under `symbol` that aborts when called.
#define NGB_UNAVAILABLE(id, symbol)        \
  NGB_EXPORT void id() __asm__(symbol);    \
  NGB_EXPORT void id() { unavailable(symbol); }
// A function exported under `symbol` that does nothing.
#define NGB_NOOP(id, symbol)            \
  NGB_EXPORT void id() __asm__(symbol); \
  NGB_EXPORT void id() {}

#if defined(SHIM_CUDART)
NGB_EXPORT void** ngb_register_fat_binary(void*) __asm__("__cudaRegisterFatBinary");
NGB_EXPORT void** ngb_register_fat_binary(void*) {
  static void* handle = nullptr;
  return &handle;
}
NGB_NOOP(ngb_register_fat_binary_end, "__cudaRegisterFatBinaryEnd")
NGB_NOOP(ngb_register_function, "__cudaRegisterFunction")
NGB_NOOP(ngb_register_var, "__cudaRegisterVar")
NGB_NOOP(ngb_unregister_fat_binary, "__cudaUnregisterFatBinary")
NGB_UNAVAILABLE(ngb_get_kernel, "__cudaGetKernel")
NGB_UNAVAILABLE(ngb_init_module, "__cudaInitModule")
NGB_UNAVAILABLE(ngb_launch_kernel, "__cudaLaunchKernel")
NGB_UNAVAILABLE(ngb_pop_call_configuration, "__cudaPopCallConfiguration")
NGB_UNAVAILABLE(ngb_push_call_configuration, "__cudaPushCallConfiguration")
NGB_UNAVAILABLE(ngb_device_synchronize, "cudaDeviceSynchronize")
NGB_UNAVAILABLE(ngb_event_create_with_flags, "cudaEventCreateWithFlags")
NGB_UNAVAILABLE(ngb_event_destroy, "cudaEventDestroy")
NGB_UNAVAILABLE(ngb_event_elapsed_time, "cudaEventElapsedTime")
NGB_UNAVAILABLE(ngb_event_query, "cudaEventQuery")
NGB_UNAVAILABLE(ngb_event_record, "cudaEventRecord")
NGB_UNAVAILABLE(ngb_event_synchronize, "cudaEventSynchronize")
NGB_UNAVAILABLE(ngb_get_error_string, "cudaGetErrorString")
NGB_UNAVAILABLE(ngb_get_last_error, "cudaGetLastError")
NGB_UNAVAILABLE(ngb_stream_wait_event, "cudaStreamWaitEvent")
#elif defined(SHIM_C10_CUDA)
// c10::cuda::CUDACachingAllocator::allocator (an atomic pointer).
NGB_EXPORT void* ngb_allocator __asm__("_ZN3c104cuda20CUDACachingAllocator9allocatorE");
void* ngb_allocator = nullptr;
NGB_UNAVAILABLE(ngb_device_count, "_ZN3c104cuda12device_countEv")
NGB_UNAVAILABLE(ngb_exchange_device, "_ZN3c104cuda14ExchangeDeviceEa")
NGB_UNAVAILABLE(ngb_maybe_set_device, "_ZN3c104cuda14MaybeSetDeviceEa")
NGB_UNAVAILABLE(ngb_stream_from_pool_b, "_ZN3c104cuda17getStreamFromPoolEba")
NGB_UNAVAILABLE(ngb_stream_from_pool_i, "_ZN3c104cuda17getStreamFromPoolEia")
NGB_UNAVAILABLE(ngb_current_stream, "_ZN3c104cuda20getCurrentCUDAStreamEa")
NGB_UNAVAILABLE(ngb_default_stream, "_ZN3c104cuda20getDefaultCUDAStreamEa")
NGB_UNAVAILABLE(ngb_set_current_stream, "_ZN3c104cuda20setCurrentCUDAStreamENS0_10CUDAStreamE")
NGB_UNAVAILABLE(ngb_check_implementation, "_ZN3c104cuda29c10_cuda_check_implementationEiPKcS2_jb")
NGB_UNAVAILABLE(ngb_get_device, "_ZN3c104cuda9GetDeviceEPa")
NGB_UNAVAILABLE(ngb_set_device, "_ZN3c104cuda9SetDeviceEab")
NGB_UNAVAILABLE(ngb_stream_synchronize, "_ZNK3c104cuda10CUDAStream11synchronizeEv")
NGB_UNAVAILABLE(ngb_stream_query, "_ZNK3c104cuda10CUDAStream5queryEv")
NGB_UNAVAILABLE(ngb_stream_stream, "_ZNK3c104cuda10CUDAStream6streamEv")
#elif defined(SHIM_TORCH_CUDA)
NGB_UNAVAILABLE(ngb_device_properties, "_ZN2at4cuda26getCurrentDevicePropertiesEv")
#endif
