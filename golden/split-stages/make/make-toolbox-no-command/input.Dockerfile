FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends build-essential gdb valgrind git
RUN git clone https://example.com/lib.git && cd lib && make && make install
ENV LD_LIBRARY_PATH=/usr/local/lib
