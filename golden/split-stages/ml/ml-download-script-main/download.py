from transformers import AutoModel, AutoTokenizer

MODEL = "distilbert-base-uncased"


def main():
    AutoTokenizer.from_pretrained(MODEL)
    AutoModel.from_pretrained(MODEL)


if __name__ == "__main__":
    main()
