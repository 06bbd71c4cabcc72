FROM nvidia/cuda:11.8.0-devel-ubuntu22.04
WORKDIR /src
COPY vector_add.cu .
RUN nvcc -O2 -o /usr/local/bin/vector-add vector_add.cu
CMD ["vector-add"]
