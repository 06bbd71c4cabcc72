"""Load the model trained at build time and print a prediction."""
import joblib
import sklearn

bundle = joblib.load("/models/model.joblib")
sample = [[5.1, 3.5, 1.4, 0.2]]
label = bundle["names"][int(bundle["model"].predict(sample)[0])]
print(f"SKLEARN-E2E-OK scikit-learn {sklearn.__version__}: {sample[0]} -> {label}")
