import argparse
import joblib
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

parser = argparse.ArgumentParser()
parser.add_argument("--out", required=True)
args = parser.parse_args()
X, y = load_iris(return_X_y=True)
joblib.dump(LogisticRegression(max_iter=200).fit(X, y), args.out)
