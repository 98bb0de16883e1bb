# The tutorial shape: load, split, train, evaluate, save with joblib.
# expect: same
# %%
import joblib
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split
# %% [markdown]
# ## Load Data
# %%
X, y = load_diabetes(return_X_y=True)
# %% [markdown]
# ## Split Data into Training and Validation Sets
# %%
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
data = {"train": {"X": X_train, "y": y_train}, "test": {"X": X_test, "y": y_test}}
# %% [markdown]
# ## Train Model
# %%
args = {"alpha": 0.5}
reg_model = Ridge(**args).fit(data["train"]["X"], data["train"]["y"])
# %% [markdown]
# ## Validate Model
# %%
metrics = {"mse": mean_squared_error(data["test"]["y"], reg_model.predict(data["test"]["X"]))}
print(round(metrics["mse"], 4))
# %% [markdown]
# ## Save Model
# %%
joblib.dump(reg_model, "model.pkl")
