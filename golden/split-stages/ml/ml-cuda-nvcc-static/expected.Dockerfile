FROM nvidia/cuda:11.8.0-devel-ubuntu22.04 AS builder
WORKDIR /src
COPY vector_add.cu .
RUN nvcc -O2 -o /usr/local/bin/vector-add vector_add.cu
CMD ["vector-add"]

# runtime stage added by slimfile split-stages (Native): only what the app needs to run
FROM nvidia/cuda:11.8.0-base-ubuntu22.04 AS runtime
WORKDIR /src
COPY --from=builder /usr/local/bin/vector-add /usr/local/bin/vector-add
CMD ["vector-add"]
