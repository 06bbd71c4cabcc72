"""Train a small classifier on the iris data set (bundled with scikit-learn) and save it."""
import argparse
import os

import joblib
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    iris = load_iris()
    model = RandomForestClassifier(n_estimators=50, random_state=0).fit(iris.data, iris.target)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    joblib.dump({"model": model, "names": list(iris.target_names)}, args.out)
    print(f"trained on {len(iris.data)} samples -> {args.out}")


if __name__ == "__main__":
    main()
