# hand-written two-stage build onto the base flavor: cudart only, no cuBLAS -- the binary does not start
FROM nvidia/cuda:11.8.0-devel-ubuntu22.04 AS build
WORKDIR /app
COPY sgemm.cu .
RUN nvcc -O2 -o sgemm sgemm.cu -lcublas

FROM nvidia/cuda:11.8.0-base-ubuntu22.04
WORKDIR /app
COPY --from=build /app/sgemm ./sgemm
CMD ["./sgemm"]
