# joblib.dump of a pipeline holding a transformer class defined in the notebook; then loaded back.
# expect: same
# %%
import joblib
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
# %% [markdown]
# ## Transformer
# %%
class AddOne(BaseEstimator, TransformerMixin):
    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X + 1
# %% [markdown]
# ## Train
# %%
X = np.array([[0.0], [1.0], [2.0]])
pipeline = make_pipeline(AddOne(), LinearRegression()).fit(X, 3 * X[:, 0])
# %% [markdown]
# ## Save
# %%
joblib.dump(pipeline, "pipeline.pkl")
restored = joblib.load("pipeline.pkl")
print(restored.predict(np.array([[5.0]])).round(6).tolist())
