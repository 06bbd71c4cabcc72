import joblib
from sklearn.datasets import load_iris
from sklearn.tree import DecisionTreeClassifier

X, y = load_iris(return_X_y=True)
joblib.dump(DecisionTreeClassifier().fit(X, y), "model.joblib")
