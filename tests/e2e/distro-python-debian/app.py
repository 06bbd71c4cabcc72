import psycopg2
import psycopg2.extensions
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return {"libpq": psycopg2.extensions.libpq_version()}


if __name__ == "__main__":
    print(f"DISTRO-PY-E2E-OK psycopg2 {psycopg2.__version__} libpq {psycopg2.extensions.libpq_version()}", flush=True)
    app.run(host="0.0.0.0", port=8000)
