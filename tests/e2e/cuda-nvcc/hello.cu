// A CUDA C program built with plain nvcc (cudart linked statically, nvcc's default). It prints
// its marker first, then what the CUDA runtime says about the devices; on a machine without a GPU
// (and without the NVIDIA container runtime, so without a driver library) that is an error the
// program reports and survives, exiting 0.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void square(float *v, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) v[i] = v[i] * v[i];
}

int main() {
  printf("CUDA-NVCC-E2E-OK built with CUDA %d.%d\n", CUDART_VERSION / 1000, (CUDART_VERSION % 1000) / 10);
  fflush(stdout);
  int n = 0;
  cudaError_t err = cudaGetDeviceCount(&n);
  if (err != cudaSuccess || n == 0) {
    printf("no GPU: %s\n", err != cudaSuccess ? cudaGetErrorString(err) : "0 devices");
    return 0;
  }
  const int N = 256;
  float h[N], *d;
  for (int i = 0; i < N; i++) h[i] = (float)i;
  cudaMalloc(&d, N * sizeof(float));
  cudaMemcpy(d, h, N * sizeof(float), cudaMemcpyHostToDevice);
  square<<<(N + 127) / 128, 128>>>(d, N);
  cudaMemcpy(h, d, N * sizeof(float), cudaMemcpyDeviceToHost);
  cudaFree(d);
  printf("%d GPU(s); 15^2 = %.0f\n", n, h[15]);
  return 0;
}
