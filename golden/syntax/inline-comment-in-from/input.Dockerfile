FROM python:3.12 # the runtime
RUN pip install flask
