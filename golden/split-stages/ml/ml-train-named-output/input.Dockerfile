FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# the model is trained during the build, into a folder outside the app
RUN python train.py --out /models/model.joblib
CMD ["python", "serve.py", "--model", "/models/model.joblib"]
