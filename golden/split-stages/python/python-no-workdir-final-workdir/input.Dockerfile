FROM python:3.12
COPY requirements.txt /srv/app/
RUN pip install --no-cache-dir -r /srv/app/requirements.txt
COPY . /srv/app
WORKDIR /srv/app
CMD ["uwsgi", "uwsgi.ini"]
