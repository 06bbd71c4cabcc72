# TODO: write the Dockerfile
# later
