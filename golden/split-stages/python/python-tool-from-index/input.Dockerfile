FROM python:3.12-bookworm
RUN pip install --no-cache-dir "httpie==3.2.4"
COPY config.json /etc/httpie/config.json
ENTRYPOINT ["http"]
CMD ["--help"]
