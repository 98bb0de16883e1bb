# A training notebook fits, saves, then reloads its own model to check it: still a training notebook.
# expect: same
# %%
import joblib
import numpy as np
from sklearn.linear_model import LinearRegression
X = np.array([[0.0], [1.0], [2.0], [3.0]])
y = 2 * X[:, 0] + 1
# %% [markdown]
# ## Train
# %%
reg = LinearRegression().fit(X, y)
# %% [markdown]
# ## Save and check
# %%
joblib.dump(reg, "reg.pkl")
reloaded = joblib.load("reg.pkl")
print(reloaded.predict(np.array([[4.0]])).round(6).tolist())
