FROM debian:bullseye-slim
RUN apt-get update && apt-get install -y --no-install-recommends g++ git make libasound2-dev libncursesw5-dev \
	&& rm -rf /var/lib/apt/lists/*
RUN git clone --depth 1 https://github.com/example/termgame /src \
	&& cd /src \
	&& make \
	&& make install
ENTRYPOINT ["/usr/bin/termgame"]
