# syntax=docker/dockerfile:1.7
FROM python:3.12-slim AS base
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends tini
rm -rf /var/lib/apt/lists/*
EOF
RUN <<-EOT bash
	echo "tabs are stripped"
	EOT
COPY <<"CONF" /etc/app/app.ini
[server]
port = ${PORT}
CONF
RUN <<one cat > /tmp/one && <<two cat > /tmp/two
first file
one
second file
two
RUN python3 - <<'PY'
print("FROM inside a heredoc is not an instruction")
PY
CMD ["tini", "--", "python3", "-m", "http.server"]
