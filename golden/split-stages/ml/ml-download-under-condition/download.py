import os
from transformers import AutoModel

if os.environ.get("PRELOAD"):
    AutoModel.from_pretrained("distilbert-base-uncased")
