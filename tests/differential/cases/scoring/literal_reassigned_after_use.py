# The request literal is scored, then reassigned and scored again: both results print.
# %%
import json
import joblib
model = joblib.load("model.pkl")
# %% [markdown]
# ## Score
# %%
raw_data = '{"data": [[1, 1]]}'
first = model.predict(json.loads(raw_data)["data"])
raw_data = '{"data": [[2, 2]]}'
second = model.predict(json.loads(raw_data)["data"])
print(first, second)
