# A scoring notebook writes its predictions to a JSON file.
# expect: same
# %%
import json
import joblib
model = joblib.load("model.pkl")
# %% [markdown]
# ## Score and save
# %%
payload = {"data": [[1, 0], [0, 1]]}
with open("predictions.json", "w") as handle:
    json.dump({"result": model.predict(payload["data"])}, handle)
