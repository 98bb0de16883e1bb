# A scoring notebook: load a model, parse a literal request, predict, print the result.
# expect: same
# %%
import json
import joblib
# %% [markdown]
# ## Load model
# %%
model = joblib.load("model.pkl")
# %% [markdown]
# ## Prepare data
# %%
raw_data = '{"data": [[1, 2], [3, 4]]}'
data = json.loads(raw_data)["data"]
# %% [markdown]
# ## Score data
# %%
result = model.predict(data)
print({"result": result})
