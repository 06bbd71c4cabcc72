FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-devel AS builder
# install into a venv the runtime stage can copy (slimfile split-stages)
RUN python -m venv --system-site-packages /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /workspace/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "serve.py"]

# runtime stage added by slimfile split-stages (Python): only what the app needs to run
FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime AS runtime
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /workspace/app
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /workspace/app /workspace/app
CMD ["python", "serve.py"]
