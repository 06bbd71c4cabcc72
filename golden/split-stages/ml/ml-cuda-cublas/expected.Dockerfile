FROM nvidia/cuda:12.1.1-devel-ubuntu22.04 AS builder
WORKDIR /src
COPY gemm.cu .
RUN nvcc -O2 -o /opt/gemm/gemm gemm.cu -lcublas
CMD ["/opt/gemm/gemm"]

# runtime stage added by slimfile split-stages (Native): only what the app needs to run
FROM nvidia/cuda:12.1.1-runtime-ubuntu22.04 AS runtime
WORKDIR /src
COPY --from=builder /opt/gemm/gemm /opt/gemm/gemm
CMD ["/opt/gemm/gemm"]
