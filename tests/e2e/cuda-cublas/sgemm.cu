// cuBLAS linked dynamically (-lcublas): the binary needs libcublas.so.11 and libcublasLt.so.11 at
// run time, which the runtime flavor of nvidia/cuda has and the base flavor has not.
#include <cstdio>
#include <cuda_runtime.h>
#include <cublas_v2.h>

int main() {
  int version = 0;
  printf("CUDA-CUBLAS-E2E-OK linked against cuBLAS %d\n", CUBLAS_VERSION);
  fflush(stdout);
  cublasHandle_t handle;
  cublasStatus_t st = cublasCreate(&handle);
  if (st != CUBLAS_STATUS_SUCCESS) {
    int n = 0;
    cudaError_t err = cudaGetDeviceCount(&n);
    printf("no GPU: cublasCreate: %s; cudaGetDeviceCount: %s\n", cublasGetStatusString(st),
           err != cudaSuccess ? cudaGetErrorString(err) : "0 devices");
    return 0;
  }
  cublasGetVersion(handle, &version);
  const int N = 2;
  float a[N * N] = {1, 2, 3, 4}, b[N * N] = {1, 0, 0, 1}, c[N * N] = {0};
  float *da, *db, *dc, one = 1, zero = 0;
  cudaMalloc(&da, sizeof a); cudaMalloc(&db, sizeof b); cudaMalloc(&dc, sizeof c);
  cudaMemcpy(da, a, sizeof a, cudaMemcpyHostToDevice);
  cudaMemcpy(db, b, sizeof b, cudaMemcpyHostToDevice);
  cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, N, N, N, &one, da, N, db, N, &zero, dc, N);
  cudaMemcpy(c, dc, sizeof c, cudaMemcpyDeviceToHost);
  printf("cuBLAS %d: C = [%g %g; %g %g]\n", version, c[0], c[2], c[1], c[3]);
  cublasDestroy(handle);
  return 0;
}
