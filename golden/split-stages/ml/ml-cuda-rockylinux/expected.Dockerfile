FROM nvidia/cuda:12.4.1-devel-rockylinux9
RUN dnf install -y python3 python3-pip && dnf clean all
WORKDIR /app
COPY . .
RUN pip3 install --no-cache-dir -r requirements.txt
CMD ["python3", "app.py"]
