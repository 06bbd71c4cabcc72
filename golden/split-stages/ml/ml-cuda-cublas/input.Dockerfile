FROM nvidia/cuda:12.1.1-devel-ubuntu22.04
WORKDIR /src
COPY gemm.cu .
RUN nvcc -O2 -o /opt/gemm/gemm gemm.cu -lcublas
CMD ["/opt/gemm/gemm"]
