FROM python:3.12-bookworm AS builder
# install into a venv the runtime stage can copy (slimfile split-stages)
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir "httpie==3.2.4"
COPY config.json /etc/httpie/config.json
ENTRYPOINT ["http"]
CMD ["--help"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM python:3.12-slim-bookworm AS runtime
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /etc/httpie/config.json /etc/httpie/config.json
ENTRYPOINT ["http"]
CMD ["--help"]
