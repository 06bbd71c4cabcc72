FROM python:3.12
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
RUN sed -i 's/^DSHELL=.*/DSHELL=\/bin\/bash/' /etc/adduser.conf
CMD ["python", "main.py"]
